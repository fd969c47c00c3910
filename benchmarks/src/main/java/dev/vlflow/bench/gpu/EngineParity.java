package dev.vlflow.bench.gpu;

import dev.vlflow.engine.VlModel;
import dev.vlflow.engine.onnx.GraphParity;
import dev.vlflow.engine.runtime.DecoderRunner;
import dev.vlflow.engine.runtime.ForwardResult;
import dev.vlflow.engine.runtime.LogitRows;
import dev.vlflow.engine.runtime.Sampler;
import dev.vlflow.kv.KvCache;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The whole engine on two providers: random frames through the vision tower, projector and pooling, then a random
 * text prompt, prefilled together, then greedy decoding; the same inputs on both. Logits are compared on every step
 * both runs share, up to and including the first step whose greedy token differs.
 *
 * @param expectedTokens greedy tokens of the reference (CPU) engine
 * @param actualTokens   greedy tokens of the engine under test
 * @param maxLogitDiff   largest |logit difference| over the compared steps (the prefill's last row, then each step)
 * @param framesDiff     largest |difference| of the encoded frames (vision tower, projector, pooling)
 */
public record EngineParity(List<Integer> expectedTokens, List<Integer> actualTokens, double maxLogitDiff,
                           double framesDiff) {

    public EngineParity {
        expectedTokens = List.copyOf(expectedTokens);
        actualTokens = List.copyOf(actualTokens);
    }

    public boolean sameTokens() {
        return expectedTokens.equals(actualTokens);
    }

    /** One engine's run: its greedy tokens and the logits behind each ([steps][vocab]). */
    private record Run(float[] frames, List<Integer> tokens, List<float[]> logits) {
    }

    /** {@code frames} random frames and {@code promptTokens} random ids, then {@code steps} greedy tokens. */
    public static EngineParity compare(VlModel expected, VlModel actual, int frames, int promptTokens, int steps) {
        var v = expected.config().vision();
        SplittableRandom random = new SplittableRandom(17);
        float[] pixels = new float[frames * 3 * v.imageSize() * v.imageSize()]; // [frames, 3, S, S]
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) (2 * random.nextDouble() - 1);
        }
        int[] ids = new int[promptTokens];
        int textIds = Math.min(expected.config().text().vocabSize(), expected.config().imageTokenId());
        for (int i = 0; i < ids.length; i++) {
            ids[i] = random.nextInt(textIds);
        }
        Run e = run(expected, pixels, frames, ids, steps);
        Run a = run(actual, pixels, frames, ids, steps);
        double worst = 0;
        for (int s = 0; s < e.logits().size(); s++) {
            worst = nanSticky(worst, GraphParity.maxAbsDiff(e.logits().get(s), a.logits().get(s)));
            if (!e.tokens().get(s).equals(a.tokens().get(s))) {
                break; // later steps see different contexts
            }
        }
        return new EngineParity(e.tokens(), a.tokens(), worst, GraphParity.maxAbsDiff(e.frames(), a.frames()));
    }

    private static double nanSticky(double worst, double d) {
        return d <= worst ? worst : d;
    }

    private static Run run(VlModel vl, float[] pixels, int frames, int[] ids, int steps) {
        DecoderRunner decoder = vl.decoder();
        float[] video = vl.encodeFrames(pixels, frames).rows(); // [frames * tokensPerFrame, hidden]
        float[] text = decoder.embed(ids); // [ids, hidden]
        float[] inputs = new float[video.length + text.length];
        System.arraycopy(video, 0, inputs, 0, video.length);
        System.arraycopy(text, 0, inputs, video.length, text.length);
        int tokens = inputs.length / vl.config().text().hiddenSize();
        int[] positions = new int[tokens];
        for (int i = 0; i < tokens; i++) {
            positions[i] = i;
        }
        KvCache cache = vl.options().kvCache().create(vl.cacheShape());
        ForwardResult r = decoder.prefill(inputs, tokens, positions, cache, vl.options().prefillChunk());
        List<Integer> chosen = new ArrayList<>();
        List<float[]> logits = new ArrayList<>();
        int position = tokens;
        for (int s = 0; s < steps; s++) {
            float[] row = r.row(0);
            logits.add(row.clone());
            float[] masked = row.clone();
            vl.maskUngeneratable(masked);
            int next = Sampler.argmax(masked);
            chosen.add(next);
            r = decoder.forward(decoder.embed(new int[] {next}), 1, new int[] {position++}, cache, LogitRows.LAST);
        }
        return new Run(video, chosen, logits);
    }
}
