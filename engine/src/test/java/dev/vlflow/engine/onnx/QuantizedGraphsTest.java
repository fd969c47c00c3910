package dev.vlflow.engine.onnx;

import static dev.vlflow.engine.onnx.Close.assertClose;
import static dev.vlflow.engine.onnx.Close.random;

import dev.vlflow.engine.model.ModelConfig;
import dev.vlflow.engine.model.TensorInfo;
import dev.vlflow.engine.model.TextConfig;
import dev.vlflow.engine.model.Weights;
import dev.vlflow.engine.quant.BlockQuantized;
import dev.vlflow.engine.quant.BlockQuantizer;
import dev.vlflow.engine.quant.WeightPrecision;
import dev.vlflow.engine.reference.ReferenceQwen2;
import dev.vlflow.engine.testing.InMemoryWeights;
import java.nio.FloatBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Decoder graphs with quantized projections ({@code MatMulNBits}) against the plain Java reference run on the
 * dequantized weights: what remains is ONNX Runtime's int8 quantization of the activations (accuracy level 4), which
 * the stated tolerances bound (absolute, on activations of magnitude ~1 and logits of magnitude ~1).
 */
class QuantizedGraphsTest {

    /** One decoder layer at Qwen2-0.5B's widths (hidden 896 = 28 blocks of 32, intermediate 4864), small vocabulary. */
    static ModelConfig wide() {
        ModelConfig tiny = InMemoryWeights.tinyConfig();
        return InMemoryWeights.config(new TextConfig(512, 896, 4864, 1, 14, 2, 1e-6, 1_000_000.0, 4096, true),
                tiny.vision());
    }

    @ParameterizedTest(name = "{0}, hidden {2}")
    @CsvSource({"INT8, 0.02, 64", "INT4, 0.02, 64", "INT8, 0.05, 896", "INT4, 0.05, 896"})
    void graphsMatchReferenceOnDequantizedWeights(WeightPrecision precision, double tolerance, int hiddenSize) {
        ModelConfig config = hiddenSize == 896 ? wide() : InMemoryWeights.tinyConfig();
        try (InMemoryWeights weights = new InMemoryWeights(config, 7);
             OnnxModel model = OnnxModel.build(weights, ExecutionProvider.cpu(1), precision)) {
            ReferenceQwen2 reference = new ReferenceQwen2(new Dequantized(weights, precision));
            TextConfig text = weights.config().text();
            int width = text.numAttentionHeads() * text.headDim();
            for (int layer = 0; layer < text.numHiddenLayers(); layer++) {
                int tokens = 5;
                float[] hidden = random(tokens * text.hiddenSize(), 2.0, 11 * layer);
                QkvProjection qkv = model.preAttention(layer, hidden, tokens);
                float[][] expected = reference.attentionInputs(hidden, layer);
                assertClose(expected[0], qkv.q(), tolerance, precision + " q layer " + layer);
                assertClose(expected[1], qkv.k(), tolerance, precision + " k layer " + layer);
                assertClose(expected[2], qkv.v(), tolerance, precision + " v layer " + layer);
                float[] residual = random(tokens * text.hiddenSize(), 2.0, 100 + layer);
                float[] attention = random(tokens * width, 1.0, 200 + layer);
                assertClose(reference.afterAttention(residual, attention, layer),
                        model.postAttention(layer, residual, attention, tokens), tolerance,
                        precision + " post-attention layer " + layer);
            }
            float[] hidden = random(3 * text.hiddenSize(), 2.0, 5);
            assertClose(reference.lmHead(reference.finalNorm(hidden)), model.logits(hidden, 3), tolerance,
                    precision + " logits");
        }
    }

    /** {@code weights} with the decoder's projections and the LM head replaced by their dequantized values. */
    static final class Dequantized implements Weights {
        private final Weights weights;
        private final WeightPrecision precision;

        Dequantized(Weights weights, WeightPrecision precision) {
            this.weights = weights;
            this.precision = precision;
        }

        static boolean quantized(String name) {
            return name.equals(WeightNames.LM_HEAD)
                    || name.startsWith("model.language_model.layers.") && name.endsWith("_proj.weight");
        }

        @Override
        public ModelConfig config() {
            return weights.config();
        }

        @Override
        public boolean has(String name) {
            return weights.has(name);
        }

        @Override
        public TensorInfo info(String name) {
            return weights.info(name);
        }

        @Override
        public FloatBuffer floats(String name) {
            if (!quantized(name)) {
                return weights.floats(name);
            }
            long[] shape = info(name).shape();
            int n = (int) shape[0];
            int k = (int) shape[1];
            BlockQuantized q = BlockQuantizer.quantize(weights.floats(name), n, k, precision);
            float[] out = new float[n * k];
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < k; c++) {
                    out[r * k + c] = q.value(r, c);
                }
            }
            return FloatBuffer.wrap(out);
        }

        @Override
        public void close() {
        }
    }
}
