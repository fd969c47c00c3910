package dev.vlflow.engine.onnx;

import dev.vlflow.engine.model.ModelConfig;
import dev.vlflow.engine.model.TextConfig;
import dev.vlflow.engine.model.VisionConfig;
import dev.vlflow.engine.testing.InMemoryWeights;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Measures (prints, asserts nothing) a Qwen2-0.5B-sized decoder layer (H 896, I 4864, 14/2 heads) on the CPU
 * provider: per-call latency of pre + post at T=1 and throughput at T=512, separate graphs vs the fused
 * "post-attention i + pre-attention i+1" step, with ONNX Runtime's thread spinning on and off and weight
 * prepacking on and off.
 * Run with the test classpath: {@code java -cp ... dev.vlflow.engine.onnx.LayerTiming [seconds-per-case]}.
 */
public final class LayerTiming {

    private LayerTiming() {
    }

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        ModelConfig config = InMemoryWeights.config(new TextConfig(1024, 896, 4864, 2, 14, 2, 1e-6, 1e6, 32768, true),
                new VisionConfig(32, 64, 1, 2, 14, 56, 3, 1e-6, "gelu_pytorch_tanh"));
        TextConfig t = config.text();
        long layerBytes = 4L * ((long) t.hiddenSize() * t.hiddenSize() * 2 + 2L * t.kvWidth() * t.hiddenSize()
                + 3L * t.intermediateSize() * t.hiddenSize());
        System.out.printf("layer weights %.1f MB fp32, threads %d%n", layerBytes / 1e6,
                Runtime.getRuntime().availableProcessors());
        callOverhead(seconds);
        try (InMemoryWeights weights = new InMemoryWeights(config, 1)) {
            List<Map<String, String>> variants = List.of(
                    Map.of("session.intra_op.allow_spinning", "1"),
                    Map.of("session.intra_op.allow_spinning", "0"),
                    Map.of("session.intra_op.allow_spinning", "0", "session.disable_prepacking", "1"));
            for (Map<String, String> variant : variants) {
                long t0 = System.nanoTime();
                try (SessionFactory factory = new SessionFactory(weights, ExecutionProvider.cpu(), variant);
                     GraphSession pre0 = factory.open(DecoderGraphs.preAttention(weights, 0));
                     GraphSession post0 = factory.open(DecoderGraphs.postAttention(weights, 0));
                     GraphSession pre1 = factory.open(DecoderGraphs.preAttention(weights, 1));
                     GraphSession step0 = factory.open(DecoderGraphs.step(weights, 0))) {
                    System.out.printf("%n%s (4 sessions built in %.2f s)%n", new TreeMap<>(variant),
                            (System.nanoTime() - t0) / 1e9);
                    for (int tokens : new int[] {1, 512}) {
                        float[] hidden = Close.random(tokens * t.hiddenSize(), 1, 1);
                        float[] attention = Close.random(tokens * t.hiddenSize(), 1, 2);
                        GraphSession.Input h = new GraphSession.Input(hidden, tokens, t.hiddenSize());
                        GraphSession.Input a = new GraphSession.Input(attention, tokens, t.hiddenSize());
                        double pre = time(seconds, () -> pre0.run(h));
                        double post = time(seconds, () -> post0.run(h, a));
                        double separate = time(seconds, () -> {
                            post0.run(h, a);
                            pre1.run(h);
                        });
                        double fused = time(seconds, () -> step0.run(h, a));
                        System.out.printf("T=%-4d pre %8.3f ms  post %8.3f ms  post+pre %8.3f ms  fused %8.3f ms"
                                        + "  (fused saves %5.1f%%)  %s%n", tokens, pre * 1e3, post * 1e3,
                                separate * 1e3, fused * 1e3, 100 * (1 - fused / separate),
                                tokens == 1 ? String.format("weights read at %.1f GB/s", layerBytes / separate / 1e9)
                                        : String.format("%.0f tokens/s per layer, %.0f GFLOP/s", tokens / separate,
                                        2.0 * layerBytes / 4 * tokens / separate / 1e9));
                    }
                }
            }
        }
    }

    /** Latency of a session call whose compute is negligible (the tiny model's pre-attention at T=1). */
    private static void callOverhead(double seconds) {
        try (InMemoryWeights tiny = new InMemoryWeights(InMemoryWeights.tinyConfig(), 1);
             SessionFactory factory = new SessionFactory(tiny, ExecutionProvider.cpu(),
                     Map.of("session.intra_op.allow_spinning", "0"));
             GraphSession pre = factory.open(DecoderGraphs.preAttention(tiny, 0))) {
            int h = tiny.config().text().hiddenSize();
            GraphSession.Input x = new GraphSession.Input(new float[h], 1, h);
            System.out.printf("session call overhead (hidden %d, T=1, 4 nodes, 3 outputs): %.1f us%n", h,
                    time(seconds, () -> pre.run(x)) * 1e6);
        }
    }

    /**
     * Seconds per call: the best mean over windows of about 0.25 s within {@code seconds} of calls, after a
     * warm-up. The best window approximates an unloaded machine when other processes compete for the cores.
     */
    private static double time(double seconds, Runnable call) {
        for (int i = 0; i < 3; i++) {
            call.run();
        }
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        double best = Double.MAX_VALUE;
        do {
            long start = System.nanoTime();
            long windowEnd = start + 250_000_000L;
            int calls = 0;
            long now;
            do {
                call.run();
                calls++;
                now = System.nanoTime();
            } while (now < windowEnd);
            best = Math.min(best, (now - start) / 1e9 / calls);
        } while (System.nanoTime() < deadline);
        return best;
    }
}
