package dev.vlflow.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One {@code .safetensors} file, validated on open and read through memory maps.
 *
 * <pre>
 * | u64 LE n | n bytes of JSON header (space padded) | data section ...                          |
 *   header: {"name": {"dtype": "BF16", "shape": [r, c], "data_offsets": [begin, end]}, "__metadata__": {...}}
 *   offsets are relative to the start of the data section (byte 8 + n)
 * </pre>
 */
final class SafetensorsFile implements AutoCloseable {

    /** Largest header we accept; real ones are well under 1 MiB. */
    private static final long MAX_HEADER = 100L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Element widths in bytes of the dtypes safetensors defines (F4/F6 pack below a byte: width 0, unchecked). */
    private static final Map<String, Integer> KNOWN_DTYPES = Map.ofEntries(
            Map.entry("F64", 8), Map.entry("F32", 4), Map.entry("F16", 2), Map.entry("BF16", 2),
            Map.entry("I64", 8), Map.entry("I32", 4), Map.entry("I16", 2), Map.entry("I8", 1),
            Map.entry("U64", 8), Map.entry("U32", 4), Map.entry("U16", 2), Map.entry("U8", 1),
            Map.entry("BOOL", 1), Map.entry("F8_E5M2", 1), Map.entry("F8_E4M3", 1), Map.entry("F8_E8M0", 1),
            Map.entry("F6_E2M3", 0), Map.entry("F6_E3M2", 0), Map.entry("F4", 0));

    /** A header entry; {@code begin}/{@code end} are absolute file offsets. */
    record Entry(String name, String dtype, long[] shape, long begin, long end) {
        long elements() {
            return TensorInfo.elements(shape);
        }

        @Override
        public String toString() {
            return name + " " + dtype + " " + Arrays.toString(shape);
        }
    }

    private final Path path;
    private final FileChannel channel;
    private final Map<String, Entry> entries;

    private SafetensorsFile(Path path, FileChannel channel, Map<String, Entry> entries) {
        this.path = path;
        this.channel = channel;
        this.entries = entries;
    }

    static SafetensorsFile open(Path path) {
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new CheckpointException("cannot open " + path + ": " + e, e);
        }
        try {
            return new SafetensorsFile(path, channel, readHeader(path, channel));
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static Map<String, Entry> readHeader(Path path, FileChannel channel) {
        try {
            long size = channel.size();
            if (size < 8) {
                throw new CheckpointException(path + " is " + size + " bytes, too short for a safetensors header");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, lengthBytes, 0);
            long headerLength = lengthBytes.getLong(0);
            if (headerLength < 2 || headerLength > size - 8) {
                throw new CheckpointException(path + ": header length " + Long.toUnsignedString(headerLength)
                        + " runs beyond the end of the file (" + size + " bytes)");
            }
            if (headerLength > MAX_HEADER) {
                throw new CheckpointException(path + ": header length " + headerLength + " exceeds " + MAX_HEADER);
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLength);
            readFully(channel, header, 8);
            JsonNode root;
            try {
                root = JSON.readTree(header.array());
            } catch (IOException e) {
                throw new CheckpointException(path + ": safetensors header is not valid JSON: " + e.getMessage(), e);
            }
            if (root == null || !root.isObject()) {
                throw new CheckpointException(path + ": safetensors header is not a JSON object");
            }
            return parseEntries(path, root, 8 + headerLength, size);
        } catch (IOException e) {
            throw new CheckpointException("cannot read " + path + ": " + e, e);
        }
    }

    private static Map<String, Entry> parseEntries(Path path, JsonNode root, long dataStart, long fileSize) {
        long dataSize = fileSize - dataStart;
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            if (name.equals("__metadata__")) {
                continue;
            }
            JsonNode node = field.getValue();
            JsonNode dtype = node.get("dtype");
            JsonNode shape = node.get("shape");
            JsonNode offsets = node.get("data_offsets");
            if (dtype == null || !dtype.isTextual() || shape == null || !shape.isArray() || offsets == null
                    || !offsets.isArray() || offsets.size() != 2) {
                throw new CheckpointException(path + ": malformed header entry for tensor " + name + ": " + node);
            }
            Integer width = KNOWN_DTYPES.get(dtype.asText());
            if (width == null) {
                throw new CheckpointException(path + ": unknown dtype '" + dtype.asText() + "' for tensor " + name);
            }
            long[] dims = new long[shape.size()];
            for (int i = 0; i < dims.length; i++) {
                if (!shape.get(i).canConvertToLong() || shape.get(i).asLong() < 0) {
                    throw new CheckpointException(path + ": bad shape " + shape + " for tensor " + name);
                }
                dims[i] = shape.get(i).asLong();
            }
            long begin = offsets.get(0).asLong(-1);
            long end = offsets.get(1).asLong(-1);
            if (begin < 0 || end < begin || end > dataSize) {
                throw new CheckpointException(path + ": data offsets " + offsets + " of tensor " + name
                        + " lie outside the data section (" + dataSize + " bytes)");
            }
            Entry entry = new Entry(name, dtype.asText(), dims, dataStart + begin, dataStart + end);
            if (width > 0 && entry.elements() * width != end - begin) {
                throw new CheckpointException(path + ": tensor " + name + " " + dtype.asText() + " "
                        + Arrays.toString(dims) + " needs " + entry.elements() * width + " bytes but its data offsets "
                        + offsets + " span " + (end - begin));
            }
            entries.put(name, entry);
        }
        return Collections.unmodifiableMap(entries);
    }

    Path path() {
        return path;
    }

    /** Header entries in file order. */
    Map<String, Entry> entries() {
        return entries;
    }

    /** The tensor's bytes, mapped read-only, little-endian. */
    ByteBuffer map(Entry entry) {
        long length = entry.end() - entry.begin();
        if (length > Integer.MAX_VALUE) {
            throw new CheckpointException(path + ": tensor " + entry.name() + " is " + length
                    + " bytes, more than one buffer can map (2 GiB)");
        }
        try {
            return channel.map(FileChannel.MapMode.READ_ONLY, entry.begin(), length).order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new CheckpointException("cannot map tensor " + entry.name() + " of " + path + ": " + e, e);
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + buffer.position());
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // already failing; the original error is more useful
        }
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }
}
