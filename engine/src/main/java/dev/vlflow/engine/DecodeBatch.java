package dev.vlflow.engine;

import dev.vlflow.engine.decode.Speculator;
import dev.vlflow.engine.runtime.DecoderRunner;
import dev.vlflow.engine.runtime.ForwardResult;
import dev.vlflow.engine.runtime.LayerPlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Continuous batching: one step of many answers with one model pass per decoder and layer plan. Each answer drafts
 * its own candidates ({@link Generation#prepare()}); the blocks of all answers that need the same decoder and plan go
 * through the dense layers as one matrix, so the weights are read once per step for the whole batch, while each
 * block attends over its own cache; then every answer accepts from its rows. Answers join and leave between calls.
 */
public final class DecodeBatch {

    /** What one call did. */
    public record Step(int answers, int passes, int rows) {
    }

    private final int maxRows;

    /** @param maxRows the most rows one pass may hold (larger batches are split) */
    public DecodeBatch(int maxRows) {
        if (maxRows < 1) {
            throw new IllegalArgumentException("a batch holds at least one row, not " + maxRows);
        }
        this.maxRows = maxRows;
    }

    /** Steps every unfinished generation of {@code generations} once. */
    public Step step(List<Generation> generations) {
        Map<DecoderRunner, Map<LayerPlan, List<Prepared>>> groups = new LinkedHashMap<>(); // identity keys, in order
        int answers = 0;
        for (Generation g : generations) {
            if (g.finished()) {
                continue;
            }
            answers++;
            var pass = g.prepare();
            if (pass.isEmpty()) {
                g.first();
                continue;
            }
            Speculator.Pass p = pass.get();
            groups.computeIfAbsent(p.decoder(), d -> new LinkedHashMap<>())
                    .computeIfAbsent(p.plan(), plan -> new ArrayList<>()).add(new Prepared(g, p));
        }
        int passes = 0;
        int rows = 0;
        for (var byPlan : groups.entrySet()) {
            for (var group : byPlan.getValue().entrySet()) {
                List<Prepared> all = group.getValue();
                int from = 0;
                while (from < all.size()) {
                    int to = from;
                    int n = 0;
                    while (to < all.size() && (to == from || n + all.get(to).pass.block().tokens() <= maxRows)) {
                        n += all.get(to).pass.block().tokens();
                        to++;
                    }
                    List<Prepared> chunk = all.subList(from, to);
                    List<ForwardResult> results = byPlan.getKey().decode(
                            chunk.stream().map(c -> c.pass.block()).toList(), group.getKey());
                    for (int i = 0; i < chunk.size(); i++) {
                        chunk.get(i).generation.complete(chunk.get(i).pass, results.get(i));
                    }
                    passes++;
                    rows += n;
                    from = to;
                }
            }
        }
        return new Step(answers, passes, rows);
    }

    private record Prepared(Generation generation, Speculator.Pass pass) {
    }
}
