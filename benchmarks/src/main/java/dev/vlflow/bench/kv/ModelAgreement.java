package dev.vlflow.bench.kv;

import dev.vlflow.engine.KvCacheFactory;
import dev.vlflow.engine.VlModel;
import dev.vlflow.engine.runtime.DecoderRunner;
import dev.vlflow.engine.runtime.ForwardResult;
import dev.vlflow.engine.runtime.LogitRows;
import dev.vlflow.engine.runtime.Sampler;
import dev.vlflow.kv.KvCache;
import dev.vlflow.kv.KvCacheConfig;
import dev.vlflow.kv.PrecisionPolicy;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * How far a model's outputs move when its KV cache is quantized: the same prompt (seeded random token ids) is
 * prefilled into a float cache and into each quantized cache; the last {@code probe} tokens are then run as one
 * block with logits for every row. Reported per setting: the largest |logit difference| and the share of rows whose
 * top-1 token equals the float cache's.
 */
final class ModelAgreement {

    private ModelAgreement() {
    }

    static Map<String, Object> measure(VlModel model, List<PrecisionPolicy> settings, int promptTokens, int probe) {
        DecoderRunner decoder = model.decoder();
        SplittableRandom random = new SplittableRandom(23);
        int[] ids = new int[promptTokens];
        int limit = Math.min(model.tokenizer().vocabularySize(), model.config().imageTokenId());
        for (int i = 0; i < ids.length; i++) {
            ids[i] = random.nextInt(limit);
        }
        float[] reference = probeLogits(decoder, ids, KvCacheFactory.floats().create(model.cacheShape()), probe,
                model.options().prefillChunk());
        int vocab = model.config().text().vocabSize();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("prompt_tokens", promptTokens);
        out.put("probe_rows", probe);
        for (PrecisionPolicy policy : settings) {
            if (policy instanceof PrecisionPolicy.FullPrecision) {
                continue;
            }
            KvCache cache = KvCacheFactory.of(KvCacheConfig.of(policy)).create(model.cacheShape());
            float[] logits = probeLogits(decoder, ids, cache, probe, model.options().prefillChunk());
            double maxDiff = 0;
            int agree = 0;
            for (int r = 0; r < probe; r++) {
                float[] a = Arrays.copyOfRange(reference, r * vocab, (r + 1) * vocab);
                float[] b = Arrays.copyOfRange(logits, r * vocab, (r + 1) * vocab);
                for (int i = 0; i < vocab; i++) {
                    maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
                }
                agree += Sampler.argmax(a) == Sampler.argmax(b) ? 1 : 0;
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("max_abs_logit_diff", maxDiff);
            entry.put("top1_agreement", (double) agree / probe);
            entry.put("kv_bytes", (double) cache.bytes());
            out.put(policy.label().startsWith("mixed") ? "mixed" : policy.label(), entry);
            System.out.printf(java.util.Locale.ROOT, "  %-8s max |logit diff| %.4f, top-1 agreement %d/%d, %d KV bytes%n",
                    policy.label(), maxDiff, agree, probe, cache.bytes());
        }
        return out;
    }

    /** Prefills all but the last {@code probe} ids, then returns [probe, vocab] logits for the rest. */
    private static float[] probeLogits(DecoderRunner decoder, int[] ids, KvCache cache, int probe, int chunk) {
        int head = ids.length - probe;
        int[] positions = new int[ids.length];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = i;
        }
        decoder.prefill(decoder.embed(Arrays.copyOf(ids, head)), head, Arrays.copyOf(positions, head), cache, chunk);
        ForwardResult r = decoder.forward(decoder.embed(Arrays.copyOfRange(ids, head, ids.length)), probe,
                Arrays.copyOfRange(positions, head, ids.length), cache, LogitRows.ALL);
        return r.logits();
    }
}
