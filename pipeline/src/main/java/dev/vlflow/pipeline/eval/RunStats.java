package dev.vlflow.pipeline.eval;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Throughput and KV figures of a run.
 *
 * @param thisRun             what this invocation did (a resumed run skips logged videos)
 * @param prefixPrefills      video prefixes prefilled, over all logged predictions (1 per video with sharing)
 * @param prefixTokensComputed tokens prefilled for video prefixes
 * @param prefixTokensReused  prefix tokens served from a shared cache instead of being prefilled again
 * @param meanContextTokens   mean tokens in the cache before a question
 * @param meanPromptTokens    mean question tokens prefilled on top
 * @param meanGeneratedTokens mean tokens generated per answer
 * @param meanKvBytes         mean KV bytes of a question's cache at its end
 * @param maxKvBytes          largest such cache
 * @param decodeSeconds       frame sampling and preprocessing, summed
 * @param encodeSeconds       vision encoding, summed
 * @param prefixSeconds       prefix prefills, summed (once per prefill)
 * @param answerSeconds       question prefill and generation, summed
 */
public record RunStats(Invocation thisRun, int prefixPrefills,
                       long prefixTokensComputed, long prefixTokensReused, double meanContextTokens,
                       double meanPromptTokens, double meanGeneratedTokens, double meanKvBytes, long maxKvBytes,
                       double decodeSeconds, double encodeSeconds, double prefixSeconds, double answerSeconds) {

    /** Questions per minute of this invocation's evaluation time (0 when nothing ran). */
    public double questionsPerMinute() {
        return thisRun.questionsPerMinute();
    }

    /** Figures over logged predictions plus this invocation's counts and wall time. */
    public static RunStats of(Collection<Prediction> predictions, Invocation thisRun) {
        Map<String, List<Prediction>> byVideo = new LinkedHashMap<>();
        for (Prediction p : predictions) {
            byVideo.computeIfAbsent(p.videoId(), k -> new java.util.ArrayList<>()).add(p);
        }
        int prefills = 0;
        long computed = 0;
        long reused = 0;
        double decode = 0;
        double encode = 0;
        double prefix = 0;
        for (List<Prediction> video : byVideo.values()) {
            QuestionCost first = video.get(0).cost();
            decode += first.decodeMillis();
            encode += first.encodeMillis();
            for (int i = 0; i < video.size(); i++) {
                QuestionCost c = video.get(i).cost();
                boolean prefilled = !c.prefixShared() || i == 0;
                if (prefilled) {
                    prefills++;
                    computed += c.contextTokens();
                    prefix += c.prefixMillis();
                } else {
                    reused += c.contextTokens();
                }
            }
        }
        int n = predictions.size();
        double ctx = 0;
        double prompt = 0;
        double gen = 0;
        double kv = 0;
        long maxKv = 0;
        double answer = 0;
        for (Prediction p : predictions) {
            QuestionCost c = p.cost();
            ctx += c.contextTokens();
            prompt += c.promptTokens();
            gen += c.generatedTokens();
            kv += c.kvBytes();
            maxKv = Math.max(maxKv, c.kvBytes());
            answer += c.answerMillis();
        }
        double d = Math.max(n, 1);
        return new RunStats(thisRun, prefills, computed, reused, ctx / d,
                prompt / d, gen / d, kv / d, maxKv, decode / 1e3, encode / 1e3, prefix / 1e3, answer / 1e3);
    }
}
