package dev.vlflow.bench.decode;

import dev.vlflow.engine.Answer;
import dev.vlflow.engine.Generation;
import dev.vlflow.engine.GenerationOptions;
import dev.vlflow.engine.TokenListener;
import dev.vlflow.engine.VlModel;
import dev.vlflow.engine.VlSession;
import dev.vlflow.engine.decode.DecodeStats;
import dev.vlflow.engine.decode.Decoding;
import java.util.ArrayList;
import java.util.List;

/**
 * One pass of a workload with one decoding: every video's questions in one session (earlier answers feed prompt
 * lookup; the layer-skip search runs on the first answers), driven step by step ({@link Generation#step()}); the
 * decode time is that of the steps after each answer's first token, on the chosen clock.
 *
 * @param answers      [video][question]
 * @param decodeNanos  summed time after the first token of every answer
 * @param decodeTokens summed tokens after the first of every answer
 * @param stats        summed speculation statistics
 */
record DecodeRun(List<List<Answer>> answers, long decodeNanos, long decodeTokens, DecodeStats stats) {

    /** What decode time is measured with. */
    enum Clock {
        /** CPU time of the calling thread: unaffected by other work on a shared machine; right when ONNX Runtime
         * runs on the caller (one intra-op thread). */
        THREAD_CPU,
        /** Wall-clock time. */
        WALL;

        long now() {
            return this == THREAD_CPU ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
        }
    }

    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    static DecodeRun of(VlModel model, DecodeWorkload workload, Decoding decoding, int maxTokens, Clock clock) {
        List<List<Answer>> all = new ArrayList<>();
        long nanos = 0;
        long tokens = 0;
        int drafted = 0;
        int accepted = 0;
        int steps = 0;
        GenerationOptions options = GenerationOptions.greedy(maxTokens).withDecoding(decoding);
        for (DecodeWorkload.Video v : workload.videos()) {
            VlSession session = model.openSession();
            session.appendFrames(v.frames());
            List<Answer> answers = new ArrayList<>();
            for (String q : v.questions()) {
                Generation g = session.start(q, options, TokenListener.none());
                g.step(); // the first token, from the prompt's logits
                long t0 = clock.now();
                while (!g.finished()) {
                    g.step();
                }
                nanos += clock.now() - t0;
                Answer a = g.answer();
                answers.add(a);
                tokens += Math.max(0, a.tokenIds().size() - 1);
                drafted += a.speculation().drafted();
                accepted += a.speculation().accepted();
                steps += a.speculation().steps();
            }
            all.add(answers);
        }
        return new DecodeRun(all, nanos, tokens, new DecodeStats(drafted, accepted, steps));
    }

    double tokensPerSecond() {
        return decodeNanos == 0 ? 0 : decodeTokens * 1e9 / decodeNanos;
    }

    /** The faster of two runs of the same decoding (on a shared machine the slower one measured interference). */
    DecodeRun best(DecodeRun other) {
        return other.tokensPerSecond() > tokensPerSecond() ? other : this;
    }

    List<List<Integer>> tokenIds() {
        List<List<Integer>> ids = new ArrayList<>();
        answers.forEach(v -> v.forEach(a -> ids.add(a.tokenIds())));
        return ids;
    }

    List<List<String>> texts() {
        return answers.stream().map(v -> v.stream().map(Answer::text).toList()).toList();
    }
}
