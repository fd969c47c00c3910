package dev.vlflow.engine.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Small F32 safetensors files beside a checkpoint (e.g. a draft head): read whole into arrays, written in one go.
 * Reading validates the header as the checkpoint reader does.
 */
public final class TensorFiles {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TensorFiles() {
    }

    /** @param data row-major values; {@code shape}'s product elements */
    public record Tensor(long[] shape, float[] data) {
        public Tensor {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            if (n != data.length) {
                throw new IllegalArgumentException("shape holds " + n + " elements, data " + data.length);
            }
        }
    }

    /** Every tensor of an F32 safetensors file, by name. */
    public static Map<String, Tensor> readF32(Path file) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (SafetensorsFile.Entry e : f.entries().values()) {
                if (!e.dtype().equals("F32")) {
                    throw new CheckpointException(file + ": tensor " + e.name() + " is " + e.dtype() + ", expected F32");
                }
                float[] data = new float[(int) e.elements()];
                f.map(e).asFloatBuffer().get(data);
                out.put(e.name(), new Tensor(e.shape().clone(), data));
            }
        }
        return out;
    }

    /** Writes {@code tensors} as one F32 safetensors file. */
    public static void writeF32(Path file, Map<String, Tensor> tensors) {
        ObjectNode header = JSON.createObjectNode();
        long offset = 0;
        for (Map.Entry<String, Tensor> t : tensors.entrySet()) {
            ObjectNode entry = header.putObject(t.getKey());
            entry.put("dtype", "F32");
            var shape = entry.putArray("shape");
            for (long d : t.getValue().shape()) {
                shape.add(d);
            }
            long end = offset + 4L * t.getValue().data().length;
            entry.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json;
        try {
            json = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer out = ByteBuffer.allocate(8 + padded + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded).put(json);
        for (int i = json.length; i < padded; i++) {
            out.put((byte) ' ');
        }
        for (Tensor t : tensors.values()) {
            for (float v : t.data()) {
                out.putFloat(v);
            }
        }
        try {
            Files.write(file, out.array());
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file + " failed", e);
        }
    }
}
