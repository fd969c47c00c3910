package dev.vlflow.engine.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import dev.vlflow.engine.model.Weights;
import dev.vlflow.engine.quant.BlockQuantized;
import dev.vlflow.engine.quant.BlockQuantizer;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Opens sessions for graphs of one checkpoint on one execution provider. Each checkpoint tensor becomes one
 * {@link OnnxTensor} over the {@link Weights}' buffer (direct buffers are used in place, no copy), shared by every
 * session that declares it, and closed with this factory (after the sessions). Quantized parts
 * ({@link QuantizedName}) are made from the checkpoint tensor on first use and held here.
 */
final class SessionFactory implements AutoCloseable {

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final Weights weights;
    private final ExecutionProvider provider;
    private final Map<String, String> configEntries;
    private final Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
    private final Map<String, BlockQuantized> quantized = new HashMap<>(); // by "<weight>/<precision>"

    SessionFactory(Weights weights, ExecutionProvider provider) {
        this(weights, provider, Map.of());
    }

    /** With extra ONNX Runtime session config entries (e.g. {@code session.intra_op.allow_spinning}). */
    SessionFactory(Weights weights, ExecutionProvider provider, Map<String, String> configEntries) {
        this.weights = weights;
        this.provider = provider;
        Map<String, String> entries = new HashMap<>();
        // Idle intra-op threads sleep instead of spinning: 2 * layers + 3 sessions each own a pool, and the caller
        // does attention in Java between calls; spinning workers would take those cores.
        entries.put("session.intra_op.allow_spinning", "0");
        entries.putAll(configEntries);
        this.configEntries = Map.copyOf(entries);
    }

    GraphSession open(OnnxGraph graph) {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setInterOpNumThreads(1);
            options.setSessionLogLevel(ai.onnxruntime.OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            for (Map.Entry<String, String> e : configEntries.entrySet()) {
                options.addConfigEntry(e.getKey(), e.getValue());
            }
            configure(options);
            Map<String, OnnxTensorLike> supplied = new HashMap<>();
            for (String name : graph.externalWeights()) {
                supplied.put(name, tensor(name));
            }
            options.addExternalInitializers(supplied);
            OrtSession session = env.createSession(graph.model(), options);
            return new GraphSession(env, graph, options, session);
        } catch (OrtException e) {
            options.close();
            throw new OnnxException("building session for graph " + graph.name() + " on " + provider + " failed: "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            options.close();
            throw e;
        }
    }

    private void configure(OrtSession.SessionOptions options) throws OrtException {
        if (provider instanceof ExecutionProvider.Cpu cpu) {
            options.setIntraOpNumThreads(cpu.intraOpThreads());
        } else if (provider instanceof ExecutionProvider.Cuda cuda) {
            if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
                throw new OnnxException("CUDA execution provider requested, but this ONNX Runtime build has none "
                        + "(available: " + OrtEnvironment.getAvailableProviders() + "). Build with the Maven profile "
                        + "'cuda' (artifact onnxruntime_gpu) and run on a machine with an NVIDIA GPU, CUDA 12 and "
                        + "cuDNN 9, or use the CPU provider.");
            }
            try (OrtCUDAProviderOptions cudaOptions = new OrtCUDAProviderOptions(cuda.deviceId())) {
                // float32 MatMuls in float32: TF32 (on by default on Ampere and later) rounds inputs to 10-bit
                // mantissas, about 1e-3 relative, which parity with the CPU provider (1e-3) would not survive
                cudaOptions.add("use_tf32", "0");
                options.addCUDA(cudaOptions);
            } catch (OrtException e) {
                throw new OnnxException("CUDA execution provider on device " + cuda.deviceId()
                        + " could not be initialized (no GPU, or CUDA/cuDNN libraries missing): " + e.getMessage(), e);
            }
        }
    }

    /** The shared tensor over a checkpoint weight, created on first use. */
    private OnnxTensor tensor(String name) throws OrtException {
        OnnxTensor t = tensors.get(name);
        if (t == null) {
            var part = QuantizedName.parse(name);
            if (part.isPresent()) {
                BlockQuantized q = quantized(part.get());
                t = part.get().part() == QuantizedName.Part.PACKED
                        ? OnnxTensor.createTensor(env, q.packed(), q.packedShape(), OnnxJavaType.UINT8)
                        : OnnxTensor.createTensor(env, q.scales(), q.scalesShape());
            } else {
                FloatBuffer data = weights.floats(name);
                t = OnnxTensor.createTensor(env, data, weights.info(name).shape());
            }
            tensors.put(name, t);
        }
        return t;
    }

    private BlockQuantized quantized(QuantizedName name) {
        return quantized.computeIfAbsent(name.weight() + "/" + name.precision().label(), key -> {
            long[] shape = weights.info(name.weight()).shape(); // [N, K]
            return BlockQuantizer.quantize(weights.floats(name.weight()), Math.toIntExact(shape[0]),
                    Math.toIntExact(shape[1]), name.precision());
        });
    }

    /** Checkpoint tensors handed to ONNX Runtime so far. */
    int weightTensorCount() {
        return tensors.size();
    }

    @Override
    public void close() {
        for (OnnxTensor t : tensors.values()) {
            t.close();
        }
        tensors.clear();
        quantized.clear();
    }
}
