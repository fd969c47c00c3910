package dev.vlflow.pipeline.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads back an export directory written by {@link TrainingDataWriter}: its metadata, its samples and, per video,
 * its pixels. For checks (the engine-logit dump) and tests; the trainer reads the same files in Python.
 */
public final class ExportFile {

    /** One sample line, the fields the checks need. */
    public record Sample(int index, int video, String questionId, String kind, String prompt, int[] inputIds,
                         int[] targetIds) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final JsonNode meta;
    private final List<Sample> samples;

    private ExportFile(Path dir, JsonNode meta, List<Sample> samples) {
        this.dir = dir;
        this.meta = meta;
        this.samples = samples;
    }

    public static ExportFile open(Path dir) {
        try {
            JsonNode meta = JSON.readTree(dir.resolve(TrainingDataWriter.META).toFile());
            if (meta.path("version").asInt() != TrainingDataWriter.VERSION) {
                throw new IllegalArgumentException(dir + ": export format " + meta.path("version") + ", expected "
                        + TrainingDataWriter.VERSION);
            }
            List<Sample> samples = new ArrayList<>();
            try (BufferedReader r = Files.newBufferedReader(dir.resolve(TrainingDataWriter.SAMPLES),
                    StandardCharsets.UTF_8)) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (!line.isBlank()) {
                        JsonNode s = JSON.readTree(line);
                        samples.add(new Sample(samples.size(), s.get("video").asInt(), s.get("question_id").asText(),
                                s.get("kind").asText(), s.get("prompt").asText(), ints(s.get("input_ids")),
                                ints(s.get("target_ids"))));
                    }
                }
            }
            return new ExportFile(dir, meta, samples);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the export " + dir, e);
        }
    }

    public int frames() {
        return meta.get("frames").asInt();
    }

    public int imageSize() {
        return meta.get("image_size").asInt();
    }

    public int videos() {
        return meta.get("videos").asInt();
    }

    public List<Sample> samples() {
        return samples;
    }

    /** Pixels of one video row, [frames, 3, S, S]. */
    public float[] pixels(int video) {
        int floats = frames() * 3 * imageSize() * imageSize();
        ByteBuffer bytes = ByteBuffer.allocate(floats * 4).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel in = FileChannel.open(dir.resolve(TrainingDataWriter.PIXELS), StandardOpenOption.READ)) {
            long at = (long) video * floats * 4;
            while (bytes.hasRemaining()) {
                if (in.read(bytes, at + bytes.position()) < 0) {
                    throw new IllegalArgumentException("pixel file ends before video " + video);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read pixels of video " + video, e);
        }
        float[] out = new float[floats];
        bytes.flip();
        bytes.asFloatBuffer().get(out);
        return out;
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }
}
