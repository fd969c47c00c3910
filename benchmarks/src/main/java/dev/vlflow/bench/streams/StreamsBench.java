package dev.vlflow.bench.streams;

import dev.vlflow.bench.Json;
import dev.vlflow.bench.Runs;
import dev.vlflow.cli.ModelDirs;
import dev.vlflow.engine.DecodeBatch;
import dev.vlflow.engine.EngineOptions;
import dev.vlflow.engine.FrameEmbeddings;
import dev.vlflow.engine.Generation;
import dev.vlflow.engine.GenerationOptions;
import dev.vlflow.engine.VlModel;
import dev.vlflow.engine.VlSession;
import dev.vlflow.engine.model.make.ModelPreset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vlflow bench streams}: what continuous batching buys when many streams ask at once. N streams each hold a
 * video context; N questions arrive together and are answered by the session operator's decode loop
 * ({@link DecodeBatch}, one batched pass per step) and, in the same run, by stepping each answer alone in turn (what
 * the operator did before batching). Reported per N: aggregate decode tokens/s (tokens after the first of each
 * answer over the time after the first step), time to first token p50/p99 from the questions' arrival, and whether
 * every batched answer equalled its unbatched twin token for token.
 *
 * <p>The video context is synthetic frame embeddings (normal, scaled like the projector's outputs) so the vision tower
 * is not timed; the answers' decode is what is measured.
 */
@Command(name = "streams", mixinStandardHelpOptions = true,
        description = "Continuous batching across streams: aggregate decode tokens/s and time to first token for "
                + "1..16 streams asking at once, batched vs each answer alone, in one run.")
public final class StreamsBench implements Callable<Integer> {

    @Option(names = "--model", description = "checkpoint directory (default: the repository's tiny-trained; use "
            + "make-model --preset small-random for the 0.5B shape)")
    Path model;

    @Option(names = "--streams", split = ",", defaultValue = "1,2,4,8,16",
            description = "stream counts (default ${DEFAULT-VALUE})")
    List<Integer> streams;

    @Option(names = "--context", defaultValue = "196", description = "video tokens per stream (default "
            + "${DEFAULT-VALUE}: one 384x384 frame of the 0.5B model)")
    int context;

    @Option(names = "--max-tokens", defaultValue = "32", description = "tokens per answer (default ${DEFAULT-VALUE})")
    int maxTokens;

    @Option(names = "--rounds", defaultValue = "2", description = "timed rounds per stream count; the best is "
            + "reported (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--checkpoint-streams", defaultValue = "4", description = "streams asking at once while "
            + "savepoints are timed through the Flink job (0: skip that part; default ${DEFAULT-VALUE})")
    int checkpointStreams;

    @Option(names = "--checkpoint-tokens", defaultValue = "96", description = "tokens per answer while savepoints "
            + "are timed (long enough to be still generating; default ${DEFAULT-VALUE})")
    int checkpointTokens;

    @Option(names = "--out", defaultValue = "bench-streams", description = "work directory of the Flink job part")
    Path out;

    @Option(names = "--json", description = "end with one line: the JSON figures")
    boolean json;

    /** One mode at one stream count. */
    record Round(double decodeTokensPerSecond, double ttftP50Ms, double ttftP99Ms, List<List<Integer>> answers,
                 double meanBatchRows) {
    }

    @Override
    public Integer call() throws Exception {
        dev.vlflow.pipeline.stream.ConsoleLogging.configure();
        System.setProperty("org.slf4j.simpleLogger.log.dev.vlflow", "warn");
        Path dir = ModelDirs.resolve(Optional.ofNullable(model), ModelPreset.TINY_TRAINED);
        int most = streams.stream().mapToInt(Integer::intValue).max().orElse(1);
        try (VlModel m = VlModel.load(dir, EngineOptions.defaults())) {
            List<VlSession> sessions = sessions(m, most);
            System.out.printf(Locale.ROOT, "model %s; %d streams of %d video tokens; %d-token answers, greedy; "
                    + "best of %d rounds%n", dir, most, context, maxTokens, rounds);
            System.out.printf(Locale.ROOT, "%7s | %12s %12s %8s | %10s %10s | %12s %10s | %s%n", "streams",
                    "batched t/s", "alone t/s", "ratio", "TTFT p50", "TTFT p99", "alone p50", "rows/pass",
                    "identical");
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("model", dir.toString());
            boolean identical = true;
            Map<Integer, Round> batched = new LinkedHashMap<>();
            round(sessions.subList(0, 1), true); // warm-up
            for (int n : streams) {
                Round b = best(sessions.subList(0, n), true);
                Round a = best(sessions.subList(0, n), false);
                boolean same = b.answers().equals(a.answers());
                identical &= same;
                batched.put(n, b);
                System.out.printf(Locale.ROOT, "%7d | %12.1f %12.1f %7.2fx | %8.0f ms %7.0f ms | %9.0f ms %10.1f | "
                                + "%s%n", n, b.decodeTokensPerSecond(), a.decodeTokensPerSecond(),
                        b.decodeTokensPerSecond() / a.decodeTokensPerSecond(), b.ttftP50Ms(), b.ttftP99Ms(),
                        a.ttftP50Ms(), b.meanBatchRows(), same);
                figures.put("tokens_per_second_" + n, b.decodeTokensPerSecond());
                figures.put("alone_tokens_per_second_" + n, a.decodeTokensPerSecond());
                figures.put("ttft_p50_ms_" + n, b.ttftP50Ms());
                figures.put("ttft_p99_ms_" + n, b.ttftP99Ms());
            }
            Round one = batched.get(1);
            for (int n : batched.keySet()) {
                if (one != null && n > 1) {
                    figures.put("speedup_" + n, batched.get(n).decodeTokensPerSecond() / one.decodeTokensPerSecond());
                }
            }
            if (one != null && batched.containsKey(8)) {
                System.out.printf(Locale.ROOT, "speedup_8 (aggregate decode tokens/s at 8 streams over 1): %.2fx%n",
                        batched.get(8).decodeTokensPerSecond() / one.decodeTokensPerSecond());
            }
            figures.put("identical", identical);
            if (checkpointStreams > 0) {
                CheckpointProbe.Result c = CheckpointProbe.measure(dir, out, checkpointStreams, checkpointTokens, 5);
                double idle = Runs.median(c.idleMs());
                double busy = Runs.median(c.busyMs());
                double busyMax = c.busyMs().stream().mapToDouble(Double::doubleValue).max().orElse(0);
                System.out.printf(Locale.ROOT, "checkpoints through the Flink job (native savepoints, %d streams "
                        + "answering %d tokens each): idle median %.0f ms; while answers generate median %.0f ms, "
                        + "max %.0f ms (%s); answers finished when the last one completed: %d of %d%n", c.streams(),
                        checkpointTokens, idle, busy, busyMax, c.busyMs().stream()
                                .map(v -> String.format(Locale.ROOT, "%.0f", v)).toList(), c.answers(), c.streams());
                figures.put("checkpoint_ms_idle", idle);
                figures.put("checkpoint_ms_busy", busy);
                figures.put("checkpoint_ms_busy_max", busyMax);
            }
            if (json) {
                System.out.println(Json.of(figures));
            }
            return identical ? 0 : 1;
        }
    }

    /** {@code n} sessions, each with its own synthetic video context. */
    private List<VlSession> sessions(VlModel m, int n) {
        int hidden = m.config().text().hiddenSize();
        List<VlSession> out = new ArrayList<>();
        for (int s = 0; s < n; s++) {
            SplittableRandom random = new SplittableRandom(1000 + s);
            float[] rows = new float[context * hidden];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = (float) (0.5 * random.nextGaussian());
            }
            VlSession session = m.openSession();
            session.appendFrames(new FrameEmbeddings(rows, 1, context, hidden));
            out.add(session);
        }
        return out;
    }

    private Round best(List<VlSession> sessions, boolean batch) {
        Round best = null;
        for (int r = 0; r < rounds; r++) {
            Round round = round(sessions, batch);
            if (best == null || round.decodeTokensPerSecond() > best.decodeTokensPerSecond()) {
                best = round;
            }
        }
        return best;
    }

    /** Every session asks at once; answers are stepped as one batch, or one answer's step at a time in turn. */
    private Round round(List<VlSession> sessions, boolean batch) {
        int n = sessions.size();
        long[] first = new long[n];
        long t0 = System.nanoTime();
        List<Generation> gens = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int index = i;
            gens.add(sessions.get(i).start("Question " + i + ": what happens in the video?",
                    GenerationOptions.greedy(maxTokens), (k, id, text) -> {
                        if (k == 0) {
                            first[index] = System.nanoTime();
                        }
                    }));
        }
        DecodeBatch decoder = new DecodeBatch(Integer.MAX_VALUE);
        decoder.step(gens); // first tokens, from the prefills
        long decodeStart = System.nanoTime();
        long passes = 0;
        long rows = 0;
        while (gens.stream().anyMatch(g -> !g.finished())) {
            if (batch) {
                DecodeBatch.Step s = decoder.step(gens);
                passes += s.passes();
                rows += s.rows();
            } else {
                for (Generation g : gens) {
                    if (!g.finished()) {
                        g.step();
                        passes++;
                        rows++;
                    }
                }
            }
        }
        long end = System.nanoTime();
        int decoded = gens.stream().mapToInt(g -> g.answer().tokenIds().size() - 1).sum();
        double[] ttft = Arrays.stream(first).mapToDouble(f -> (f - t0) / 1e6).sorted().toArray();
        return new Round(decoded / ((end - decodeStart) / 1e9), quantile(ttft, 0.5), quantile(ttft, 0.99),
                gens.stream().map(g -> g.answer().tokenIds()).toList(), passes == 0 ? 0 : (double) rows / passes);
    }


    private static double quantile(double[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
    }
}
