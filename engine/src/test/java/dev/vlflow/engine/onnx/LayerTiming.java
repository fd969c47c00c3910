package dev.vlflow.engine.onnx;

import dev.vlflow.engine.model.ModelConfig;
import dev.vlflow.engine.model.TextConfig;
import dev.vlflow.engine.model.VisionConfig;
import dev.vlflow.engine.testing.InMemoryWeights;
import java.util.Map;

/**
 * Measures (prints, asserts nothing) a Qwen2-0.5B-sized decoder layer (H 896, I 4864, 14/2 heads) on the CPU
 * provider: per-call latency of pre + post at T=1 and throughput at T=512, separate graphs vs the fused
 * "post-attention i + pre-attention i+1" step, with ONNX Runtime's thread spinning on and off.
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
        try (InMemoryWeights weights = new InMemoryWeights(config, 1)) {
            for (String spinning : new String[] {"1", "0"}) {
                long t0 = System.nanoTime();
                try (SessionFactory factory = new SessionFactory(weights, ExecutionProvider.cpu(),
                        Map.of("session.intra_op.allow_spinning", spinning));
                     GraphSession pre0 = factory.open(DecoderGraphs.preAttention(weights, 0));
                     GraphSession post0 = factory.open(DecoderGraphs.postAttention(weights, 0));
                     GraphSession pre1 = factory.open(DecoderGraphs.preAttention(weights, 1));
                     GraphSession step0 = factory.open(DecoderGraphs.step(weights, 0))) {
                    System.out.printf("%nallow_spinning=%s (4 sessions built in %.2f s)%n", spinning,
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

    /** Seconds per call, after a warm-up, over about {@code seconds} of calls. */
    private static double time(double seconds, Runnable call) {
        for (int i = 0; i < 3; i++) {
            call.run();
        }
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        int calls = 0;
        long now;
        do {
            call.run();
            calls++;
            now = System.nanoTime();
        } while (now < deadline);
        return (now - start) / 1e9 / calls;
    }
}
