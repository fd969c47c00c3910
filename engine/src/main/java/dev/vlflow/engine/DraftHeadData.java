package dev.vlflow.engine;

import dev.vlflow.engine.decode.DraftHeadFit;
import dev.vlflow.engine.runtime.DecoderRunner;
import dev.vlflow.engine.runtime.LogitRows;
import dev.vlflow.kv.KvCache;
import java.util.Arrays;
import java.util.List;

/**
 * Training pairs for a draft head from the model's own answers: the question and its greedy answer are run as one
 * block on a fork of a session's cache, and every answer position gives (hidden state before it, embedding of its
 * token) → hidden state at it.
 */
public final class DraftHeadData {

    private DraftHeadData() {
    }

    /**
     * Adds the pairs of one question to {@code fit}.
     *
     * @param session a session holding frames
     * @param answer  the model's answer to {@code question} on that session
     * @return pairs added
     */
    public static int collect(VlSession session, String question, List<Integer> answer, DraftHeadFit fit) {
        VlModel model = session.model();
        if (session.frames() == 0) {
            throw new IllegalArgumentException("draft-head data comes from sessions holding frames");
        }
        DecoderRunner d = model.decoder();
        int[] tail = model.prompts().questionTail(question);
        int[] ids = answer.stream().mapToInt(Integer::intValue).toArray();
        float[] rows = VlSession.concat(VlSession.concat(model.newline(), d.embed(tail)), d.embed(ids));
        int h = model.config().text().hiddenSize();
        int n = rows.length / h;
        int[] positions = new int[n];
        Arrays.setAll(positions, i -> session.contextTokens() + i);
        KvCache fork = session.cache().fork();
        float[] hidden = d.forward(rows, n, positions, fork, LogitRows.LAST).hidden(); // [n, H]
        int first = tail.length; // the prompt's last row (row 0 is the newline): it chose the answer's first token
        int pairs = 0;
        for (int i = 0; i < ids.length; i++) {
            float[] feature = Arrays.copyOfRange(hidden, (first + i) * h, (first + i + 1) * h);
            float[] target = Arrays.copyOfRange(hidden, (first + i + 1) * h, (first + i + 2) * h);
            fit.add(feature, d.embed(new int[] {ids[i]}), target);
            pairs++;
        }
        return pairs;
    }
}
