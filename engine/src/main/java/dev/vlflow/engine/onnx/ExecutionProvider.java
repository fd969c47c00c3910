package dev.vlflow.engine.onnx;

/**
 * Where ONNX Runtime runs the dense graphs. The CPU provider is the default; CUDA needs the
 * {@code onnxruntime_gpu} artifact (Maven profile {@code cuda}) and an NVIDIA GPU with its libraries.
 */
public sealed interface ExecutionProvider {

    /** The CPU provider with {@code intraOpThreads} threads per graph call. */
    record Cpu(int intraOpThreads) implements ExecutionProvider {
        public Cpu {
            if (intraOpThreads <= 0) {
                throw new IllegalArgumentException("intraOpThreads must be positive, got " + intraOpThreads);
            }
        }
    }

    /** The CUDA provider on GPU {@code deviceId} (CPU as fallback for operators CUDA lacks). */
    record Cuda(int deviceId) implements ExecutionProvider {
        public Cuda {
            if (deviceId < 0) {
                throw new IllegalArgumentException("deviceId must be >= 0, got " + deviceId);
            }
        }
    }

    /** CPU with one intra-op thread per available core. */
    static Cpu cpu() {
        return new Cpu(Runtime.getRuntime().availableProcessors());
    }

    static Cpu cpu(int intraOpThreads) {
        return new Cpu(intraOpThreads);
    }

    static Cuda cuda() {
        return new Cuda(0);
    }

    static Cuda cuda(int deviceId) {
        return new Cuda(deviceId);
    }
}
