package dev.vlflow.engine.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;

/** Test helper: edits the header of a safetensors file in place, keeping its data section byte for byte. */
final class SafetensorsSurgery {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SafetensorsSurgery() {
    }

    static ObjectNode header(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        int n = (int) ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        return (ObjectNode) JSON.readTree(Arrays.copyOfRange(all, 8, 8 + n));
    }

    /** Data section bytes [begin, end) of a tensor as its header says. */
    static byte[] tensorBytes(Path file, String name) throws IOException {
        byte[] all = Files.readAllBytes(file);
        int n = (int) ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        ObjectNode entry = (ObjectNode) header(file).get(name);
        int begin = entry.get("data_offsets").get(0).asInt();
        int end = entry.get("data_offsets").get(1).asInt();
        return Arrays.copyOfRange(all, 8 + n + begin, 8 + n + end);
    }

    static void editHeader(Path file, Consumer<ObjectNode> edit) throws IOException {
        byte[] all = Files.readAllBytes(file);
        int n = (int) ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        ObjectNode header = (ObjectNode) JSON.readTree(Arrays.copyOfRange(all, 8, 8 + n));
        edit.accept(header);
        writeRaw(file, JSON.writeValueAsBytes(header), Arrays.copyOfRange(all, 8 + n, all.length));
    }

    /** Writes {@code u64 len | header | data} with any header bytes (valid JSON or not). */
    static void writeRaw(Path file, byte[] header, byte[] data) throws IOException {
        ByteBuffer out = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(header.length).put(header).put(data);
        Files.write(file, out.array());
    }

    static void setLength(Path file, long headerLength) throws IOException {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).putLong(0, headerLength);
        Files.write(file, all);
    }

    /** Copies a checkpoint directory (flat files and the video_processor folder). */
    static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return to;
    }
}
