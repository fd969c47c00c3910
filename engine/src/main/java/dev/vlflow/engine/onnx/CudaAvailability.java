package dev.vlflow.engine.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether this machine and this build can run the CUDA provider: an NVIDIA GPU ({@code /dev/nvidia0}) and ONNX
 * Runtime's CUDA execution provider in the build (Maven profile {@code cuda}). Whether CUDA then starts (driver, CUDA
 * and cuDNN libraries) shows only when a session is built on it.
 */
public sealed interface CudaAvailability {

    /** A GPU device and the CUDA provider are present. */
    record Present() implements CudaAvailability {
    }

    /** What is missing, as a sentence for the user. */
    record Missing(String reason) implements CudaAvailability {
    }

    static CudaAvailability detect() {
        if (!Files.exists(Path.of("/dev/nvidia0"))) {
            return new Missing("no NVIDIA GPU on this machine (no /dev/nvidia0)");
        }
        if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
            return new Missing("this build's ONNX Runtime has no CUDA execution provider (available: "
                    + OrtEnvironment.getAvailableProviders() + "); build with mvn -Pcuda (artifact onnxruntime_gpu)");
        }
        return new Present();
    }
}
