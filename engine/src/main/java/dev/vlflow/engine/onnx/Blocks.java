package dev.vlflow.engine.onnx;

import dev.vlflow.engine.model.Weights;
import dev.vlflow.engine.quant.WeightPrecision;
import java.util.List;

/**
 * Composite operators built from opset-17 primitives, each under its own node-name prefix. The patterns are the
 * ones ONNX Runtime's graph optimizer fuses (RMSNorm into SimplifiedLayerNormalization, the GELUs into Gelu /
 * FastGelu), so writing them out costs nothing at run time and keeps the graphs portable.
 */
final class Blocks {

    private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2.0 / Math.PI);

    /**
     * {@code MatMulNBits} accuracy level: 4 quantizes the activations to int8 per block and runs integer dot
     * products (the fastest on AVX-512/VNNI CPUs); the logit error it adds is in the tests' bounds.
     */
    static final long ACCURACY_LEVEL = 4;

    private final GraphBuilder g;
    private final Weights weights;
    private final WeightPrecision precision; // of the projections built with linear/linearNoBias/projection

    Blocks(GraphBuilder g, Weights weights) {
        this(g, weights, WeightPrecision.FP32);
    }

    Blocks(GraphBuilder g, Weights weights, WeightPrecision precision) {
        this.g = g;
        this.weights = weights;
        this.precision = precision;
    }

    GraphBuilder graph() {
        return g;
    }

    /** A checkpoint tensor as an external initializer, with its checkpoint shape. */
    Value weight(String name) {
        return g.weight(name, weights.info(name).shape());
    }

    /** {@code x [M, in] -> [M, out]} with {@code <prefix>.weight [out, in]} and {@code <prefix>.bias [out]}. */
    Value linear(String node, Value x, String prefix) {
        if (!precision.quantized()) {
            return g.gemmTransB(node, x, weight(prefix + "weight"), weight(prefix + "bias"));
        }
        return g.add(node + "/bias", projection(node, x, prefix + "weight"), weight(prefix + "bias"));
    }

    /** {@code x [M, in] -> [M, out]} with {@code <prefix>.weight [out, in]}, no bias. */
    Value linearNoBias(String node, Value x, String prefix) {
        return projection(node, x, prefix + "weight");
    }

    /**
     * {@code x [M, K] · wᵀ -> [M, N]} for the checkpoint weight {@code w [N, K]} at this builder's precision: a
     * {@code Gemm} over the checkpoint tensor, or {@code com.microsoft MatMulNBits} over its block-quantized codes
     * ({@code <w>/<precision>/packed [N, K/bs, bs*bits/8]}, {@code <w>/<precision>/scales [N*K/bs]}).
     */
    Value projection(String node, Value x, String weightName) {
        long[] shape = weights.info(weightName).shape(); // [N, K]
        if (!precision.quantized()) {
            return g.gemmTransB(node, x, g.weight(weightName, shape));
        }
        long n = shape[0];
        long k = shape[1];
        int bs = precision.blockSize();
        long blocks = (k + bs - 1) / bs;
        Value packed = g.bytesWeight(new QuantizedName(weightName, precision, QuantizedName.Part.PACKED).initializer(),
                new long[] {n, blocks, (long) bs * precision.bits() / 8});
        Value scales = g.weight(new QuantizedName(weightName, precision, QuantizedName.Part.SCALES).initializer(),
                new long[] {n * blocks});
        return g.op(node, GraphBuilder.MICROSOFT, "MatMulNBits", List.of(x, packed, scales), Attribute.i("K", k),
                Attribute.i("N", n), Attribute.i("bits", precision.bits()), Attribute.i("block_size", bs),
                Attribute.i("accuracy_level", ACCURACY_LEVEL));
    }

    /** Qwen2 RMSNorm over the last axis: {@code w * x / sqrt(mean(x²) + eps)}. */
    Value rmsNorm(String node, Value x, String weightName, double eps) {
        Value sq = g.op(node + "/Pow", "Pow", List.of(x, g.scalar(node + "/two", 2f)));
        Value mean = g.op(node + "/ReduceMean", "ReduceMean", List.of(sq), Attribute.ints("axes", -1),
                Attribute.i("keepdims", 1));
        Value var = g.add(node + "/Add", mean, g.scalar(node + "/eps", (float) eps));
        Value rms = g.op(node + "/Sqrt", "Sqrt", List.of(var));
        Value normed = g.op(node + "/Div", "Div", List.of(x, rms));
        return g.mul(node + "/Mul", normed, weight(weightName));
    }

    /** LayerNorm over the last axis with {@code <prefix>.weight} and {@code <prefix>.bias}. */
    Value layerNorm(String node, Value x, String prefix, double eps) {
        return g.op(node, "LayerNormalization", List.of(x, weight(prefix + "weight"), weight(prefix + "bias")),
                Attribute.i("axis", -1), Attribute.f("epsilon", (float) eps));
    }

    /** GELU, tanh approximation ({@code gelu_pytorch_tanh}): {@code 0.5x(1 + tanh(√(2/π)(x + 0.044715x³)))}. */
    Value geluTanh(String node, Value x) {
        Value cube = g.op(node + "/Pow", "Pow", List.of(x, g.scalar(node + "/three", 3f)));
        Value scaledCube = g.mul(node + "/Mul", cube, g.scalar(node + "/coefficient", 0.044715f));
        Value inner = g.add(node + "/Add", x, scaledCube);
        Value arg = g.mul(node + "/Mul_1", inner, g.scalar(node + "/sqrt_2_over_pi", SQRT_2_OVER_PI));
        Value tanh = g.op(node + "/Tanh", "Tanh", List.of(arg));
        Value onePlus = g.add(node + "/Add_1", tanh, g.scalar(node + "/one", 1f));
        Value half = g.mul(node + "/Mul_2", x, g.scalar(node + "/half", 0.5f));
        return g.mul(node + "/Mul_3", half, onePlus);
    }

    /** GELU, exact ({@code gelu}): {@code 0.5x(1 + erf(x/√2))}. */
    Value geluErf(String node, Value x) {
        Value scaled = g.op(node + "/Div", "Div", List.of(x, g.scalar(node + "/sqrt_2", (float) Math.sqrt(2.0))));
        Value erf = g.op(node + "/Erf", "Erf", List.of(scaled));
        Value onePlus = g.add(node + "/Add", erf, g.scalar(node + "/one", 1f));
        Value times = g.mul(node + "/Mul", x, onePlus);
        return g.mul(node + "/Mul_1", times, g.scalar(node + "/half", 0.5f));
    }

    /** SiLU: {@code x * sigmoid(x)}. */
    Value silu(String node, Value x) {
        Value sigmoid = g.op(node + "/Sigmoid", "Sigmoid", List.of(x));
        return g.mul(node + "/Mul", x, sigmoid);
    }

    /**
     * Bidirectional multi-head attention within each frame.
     *
     * @param q, k, v [F*P, heads*headDim] projections
     * @return [F*P, heads*headDim]
     */
    Value frameAttention(String node, Value q, Value k, Value v, int patches, int heads, int headDim) {
        Value q4 = g.transpose(node + "/q/Transpose", g.reshape(node + "/q/Reshape", q, -1, patches, heads, headDim),
                0, 2, 1, 3); // [F, heads, P, headDim]
        Value kT = g.transpose(node + "/k/Transpose", g.reshape(node + "/k/Reshape", k, -1, patches, heads, headDim),
                0, 2, 3, 1); // [F, heads, headDim, P]
        Value v4 = g.transpose(node + "/v/Transpose", g.reshape(node + "/v/Reshape", v, -1, patches, heads, headDim),
                0, 2, 1, 3); // [F, heads, P, headDim]
        Value scores = g.op(node + "/scores/MatMul", "MatMul", List.of(q4, kT)); // [F, heads, P, P]
        Value scaled = g.mul(node + "/scores/Mul", scores, g.scalar(node + "/scale", (float) (1.0 / Math.sqrt(headDim))));
        Value probs = g.op(node + "/Softmax", "Softmax", List.of(scaled), Attribute.i("axis", -1));
        Value context = g.op(node + "/context/MatMul", "MatMul", List.of(probs, v4)); // [F, heads, P, headDim]
        Value merged = g.transpose(node + "/context/Transpose", context, 0, 2, 1, 3); // [F, P, heads, headDim]
        return g.reshape(node + "/context/Reshape", merged, -1, (long) heads * headDim);
    }

    /**
     * Bilinear resize of each frame's {@code side x side} grid to {@code pooled x pooled} with half-pixel centers
     * (= PyTorch {@code interpolate(mode="bilinear", align_corners=False)}, no antialias).
     *
     * @param x [F*side*side, channels], rows in row-major grid order per frame
     * @return [F*pooled*pooled, channels]
     */
    Value bilinearPool(String node, Value x, long side, long pooled, long channels) {
        Value grid = g.reshape(node + "/Reshape", x, -1, side, side, channels); // [F, s, s, C]
        Value nchw = g.transpose(node + "/Transpose", grid, 0, 3, 1, 2); // [F, C, s, s]
        Value leading = g.op(node + "/Shape", "Shape", List.of(nchw), Attribute.i("start", 0), Attribute.i("end", 2));
        Value sizes = g.op(node + "/Concat", "Concat", List.of(leading, g.longs(node + "/pooled_side", pooled, pooled)),
                Attribute.i("axis", 0)); // [F, C, pooled, pooled]
        Value none = new Value("");
        Value resized = g.op(node + "/Resize", "Resize", List.of(nchw, none, none, sizes),
                Attribute.s("mode", "linear"), Attribute.s("coordinate_transformation_mode", "half_pixel"));
        Value nhwc = g.transpose(node + "/Transpose_1", resized, 0, 2, 3, 1); // [F, pooled, pooled, C]
        return g.reshape(node + "/Reshape_1", nhwc, -1, channels);
    }
}
