package dev.vlflow.engine.onnx;

import dev.vlflow.engine.model.TextConfig;
import dev.vlflow.engine.model.VisionConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Runs every graph of two models built from the same weights (e.g. on the CPU and the CUDA provider) on the same
 * random inputs and measures how far their outputs lie apart: the vision tower, the projector with pooling, per
 * decoder layer the four graphs (pre-attention q/k/v, post-attention, attention only, MLP only), and the LM head.
 * Shared by {@code vlflow gpu-check} and the CUDA test.
 */
public final class GraphParity {

    /** Frames and tokens of the random inputs: small, so that a check of every graph stays quick. */
    private static final int FRAMES = 2;
    private static final int TOKENS = 3;

    /** One graph's (or one graph's several outputs') largest absolute difference, named hierarchically. */
    public record GraphDiff(String graph, double maxAbsDiff) {
        /** Whether within {@code tolerance}; NaN never is. */
        public boolean within(double tolerance) {
            return maxAbsDiff <= tolerance;
        }
    }

    /** Every graph compared, in model order. */
    public record Report(List<GraphDiff> graphs) {
        public Report {
            graphs = List.copyOf(graphs);
        }

        public GraphDiff worst() {
            GraphDiff worst = graphs.get(0);
            for (GraphDiff d : graphs) {
                if (!(d.maxAbsDiff() <= worst.maxAbsDiff())) {
                    worst = d;
                }
            }
            return worst;
        }

        public List<GraphDiff> beyond(double tolerance) {
            return graphs.stream().filter(d -> !d.within(tolerance)).toList();
        }

        public boolean within(double tolerance) {
            return beyond(tolerance).isEmpty();
        }
    }

    private GraphParity() {
    }

    /** Compares every graph of {@code actual} with {@code expected}'s (same weights and configuration). */
    public static Report compare(OnnxModel expected, OnnxModel actual) {
        VisionConfig v = expected.config().vision();
        TextConfig t = expected.config().text();
        List<GraphDiff> diffs = new ArrayList<>();
        float[] pixels = random(FRAMES * v.numChannels() * v.imageSize() * v.imageSize(), 11); // [F, 3, S, S]
        float[] features = expected.visionFeatures(pixels, FRAMES);
        diffs.add(new GraphDiff("/vision/tower", maxAbsDiff(features, actual.visionFeatures(pixels, FRAMES))));
        diffs.add(new GraphDiff("/vision/projector+pool",
                maxAbsDiff(expected.projectAndPool(features, FRAMES), actual.projectAndPool(features, FRAMES))));
        float[] hidden = random(TOKENS * t.hiddenSize(), 12); // [T, hidden]
        float[] attention = random(TOKENS * t.numAttentionHeads() * t.headDim(), 13); // [T, heads * headDim]
        for (int layer = 0; layer < t.numHiddenLayers(); layer++) {
            String name = "/model/layers." + layer;
            QkvProjection e = expected.preAttention(layer, hidden, TOKENS);
            QkvProjection a = actual.preAttention(layer, hidden, TOKENS);
            diffs.add(new GraphDiff(name + "/pre_attention (q, k, v)",
                    Math.max(maxAbsDiff(e.q(), a.q()), Math.max(maxAbsDiff(e.k(), a.k()), maxAbsDiff(e.v(), a.v())))));
            diffs.add(new GraphDiff(name + "/post_attention", maxAbsDiff(
                    expected.postAttention(layer, hidden, attention, TOKENS),
                    actual.postAttention(layer, hidden, attention, TOKENS))));
            diffs.add(new GraphDiff(name + "/attention_only", maxAbsDiff(
                    expected.attentionOnly(layer, hidden, attention, TOKENS),
                    actual.attentionOnly(layer, hidden, attention, TOKENS))));
            diffs.add(new GraphDiff(name + "/mlp_only",
                    maxAbsDiff(expected.mlpOnly(layer, hidden, TOKENS), actual.mlpOnly(layer, hidden, TOKENS))));
        }
        diffs.add(new GraphDiff("/lm_head", maxAbsDiff(expected.logits(hidden, TOKENS), actual.logits(hidden, TOKENS))));
        return new Report(diffs);
    }

    /** Largest element-wise absolute difference; NaN where any element is NaN or the lengths differ. */
    public static double maxAbsDiff(float[] expected, float[] actual) {
        if (expected.length != actual.length) {
            return Double.NaN;
        }
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs((double) expected[i] - actual[i]);
            if (!(d <= worst)) {
                worst = d; // NaN sticks
            }
        }
        return worst;
    }

    /** Uniform values in [-1, 1]. */
    private static float[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (2 * r.nextDouble() - 1);
        }
        return x;
    }
}
