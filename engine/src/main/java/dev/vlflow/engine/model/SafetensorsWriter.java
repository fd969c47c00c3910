package dev.vlflow.engine.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes model weights as safetensors: one {@code model.safetensors}, or shards
 * {@code model-0000i-of-0000n.safetensors} plus {@code model.safetensors.index.json} when they exceed a size.
 * Values are streamed chunk by chunk from a {@link TensorValues}; tensors are stored in name order, the header padded
 * with spaces to a multiple of 8 bytes. Output is a pure function of the inputs (byte-identical on rerun).
 */
public final class SafetensorsWriter {

    /** One tensor to write: canonical name, name in the file, type and shape. */
    private record Planned(String canonical, String stored, DType dtype, long[] shape) {
        long bytes() {
            return dtype.bytes() * TensorInfo.elements(shape);
        }
    }

    private static final int CHUNK = 1 << 20; // elements per chunk
    private static final ObjectMapper JSON = new ObjectMapper();

    private SafetensorsWriter() {
    }

    /**
     * Writes all {@code shapes} (canonical name -> shape) under their names in {@code layout}.
     *
     * @param maxShardBytes largest shard; {@code Long.MAX_VALUE} for a single file
     * @return total bytes of tensor data written
     */
    public static long write(Path dir, Map<String, long[]> shapes, TensorLayout layout, DType dtype,
                             long maxShardBytes, TensorValues values) {
        TreeMap<String, Planned> byStored = new TreeMap<>();
        shapes.forEach((name, shape) -> {
            String stored = layout.stored(name);
            byStored.put(stored, new Planned(name, stored, dtype, shape));
        });
        List<List<Planned>> shards = new ArrayList<>();
        List<Planned> current = new ArrayList<>();
        long currentBytes = 0;
        for (Planned p : byStored.values()) {
            if (!current.isEmpty() && currentBytes + p.bytes() > maxShardBytes) {
                shards.add(current);
                current = new ArrayList<>();
                currentBytes = 0;
            }
            current.add(p);
            currentBytes += p.bytes();
        }
        shards.add(current);
        long total = 0;
        try {
            if (shards.size() == 1) {
                return writeFile(dir.resolve(Checkpoint.SINGLE_FILE), shards.get(0), values);
            }
            Map<String, String> weightMap = new TreeMap<>();
            for (int i = 0; i < shards.size(); i++) {
                String fileName = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
                total += writeFile(dir.resolve(fileName), shards.get(i), values);
                shards.get(i).forEach(p -> weightMap.put(p.stored(), fileName));
            }
            ObjectNode index = JSON.createObjectNode();
            index.putObject("metadata").put("total_size", total);
            ObjectNode map = index.putObject("weight_map");
            weightMap.forEach(map::put);
            Files.writeString(dir.resolve(Checkpoint.INDEX_FILE),
                    JSON.writerWithDefaultPrettyPrinter().writeValueAsString(index) + "\n");
            return total;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write weights to " + dir, e);
        }
    }

    /** Writes one safetensors file; returns the bytes of tensor data. */
    static long writeFile(Path file, List<Planned> tensors, TensorValues values) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        header.putObject("__metadata__").put("format", "pt");
        long offset = 0;
        Map<Planned, Long> starts = new LinkedHashMap<>();
        for (Planned p : tensors) {
            ObjectNode entry = header.putObject(p.stored());
            entry.put("dtype", p.dtype().safetensorsName());
            ArrayNode shape = entry.putArray("shape");
            for (long d : p.shape()) {
                shape.add(d);
            }
            entry.putArray("data_offsets").add(offset).add(offset + p.bytes());
            starts.put(p, offset);
            offset += p.bytes();
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(out, head);
            float[] chunk = new float[CHUNK];
            ByteBuffer bytes = ByteBuffer.allocateDirect(CHUNK * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (Planned p : tensors) {
                long elements = p.bytes() / p.dtype().bytes();
                for (long start = 0; start < elements; start += CHUNK) {
                    int count = (int) Math.min(CHUNK, elements - start);
                    values.fill(p.canonical(), start, chunk, count);
                    bytes.clear();
                    encode(chunk, count, p.dtype(), bytes);
                    bytes.flip();
                    writeFully(out, bytes);
                }
            }
        }
        return offset;
    }

    private static void encode(float[] chunk, int count, DType dtype, ByteBuffer out) {
        switch (dtype) {
            case F32 -> {
                for (int i = 0; i < count; i++) {
                    out.putFloat(chunk[i]);
                }
            }
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    out.putShort(HalfFloats.floatToBf16(chunk[i]));
                }
            }
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    out.putShort(HalfFloats.floatToF16(chunk[i]));
                }
            }
        }
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }
}
