package dev.vlflow.pipeline.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Writes an export directory, format version {@value #VERSION} (read by {@code tools/train/export_data.py}):
 * <pre>
 * export.json    {"version", "frames", "image_size", "channels", "tokens_per_frame", "video_token_id",
 *                 "end_of_answer_id", "videos", "samples", "pixels": "pixels.f32", "model", "annotations", ...}
 * pixels.f32     raw little-endian float32 [videos, frames, 3, S, S], the vision module's preprocessed frames
 * videos.jsonl   {"index", "video_id", "file", "frames": [source frame indices], "fps", "subtitles": [lines]}
 * samples.jsonl  {"video", "video_id", "question_id", "task_type", "kind", "variant", "form", "prompt",
 *                 "input_ids", "target", "target_ids", "answer"}
 * </pre>
 * Videos are appended one at a time; {@link #finish} writes {@code export.json} last, so a directory without it is
 * an unfinished export.
 */
public final class TrainingDataWriter implements AutoCloseable {

    public static final int VERSION = 1;
    public static final String META = "export.json";
    public static final String PIXELS = "pixels.f32";
    public static final String VIDEOS = "videos.jsonl";
    public static final String SAMPLES = "samples.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final int frameFloats;
    private final FileChannel pixels;
    private final BufferedWriter videos;
    private final BufferedWriter samples;
    private final Map<ExampleKind, Integer> byKind = new EnumMap<>(ExampleKind.class);
    private int videoCount;
    private int sampleCount;

    /**
     * @param frames      frames per video
     * @param imageSize   side of a preprocessed frame
     */
    public TrainingDataWriter(Path dir, int frames, int imageSize) {
        this.dir = dir;
        this.frameFloats = frames * 3 * imageSize * imageSize;
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(dir.resolve(META));
            this.pixels = FileChannel.open(dir.resolve(PIXELS), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            this.videos = Files.newBufferedWriter(dir.resolve(VIDEOS), StandardCharsets.UTF_8);
            this.samples = Files.newBufferedWriter(dir.resolve(SAMPLES), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write an export to " + dir, e);
        }
    }

    /** Row the next video gets. */
    public int nextVideo() {
        return videoCount;
    }

    /**
     * Appends one video's frames and examples.
     *
     * @param pixels [frames, 3, S, S]
     */
    public void addVideo(String videoId, Path file, float[] pixels, long[] frameIndices, double fps,
                         List<String> subtitles, List<TrainingExample> examples) {
        if (pixels.length != frameFloats) {
            throw new IllegalArgumentException("video " + videoId + " has " + pixels.length + " floats, expected "
                    + frameFloats);
        }
        try {
            ByteBuffer bytes = ByteBuffer.allocate(pixels.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(pixels);
            while (bytes.hasRemaining()) {
                this.pixels.write(bytes);
            }
            ObjectNode v = JSON.createObjectNode();
            v.put("index", videoCount);
            v.put("video_id", videoId);
            v.put("file", file.getFileName().toString());
            ArrayNode idx = v.putArray("frames");
            for (long i : frameIndices) {
                idx.add(i);
            }
            v.put("fps", fps);
            ArrayNode subs = v.putArray("subtitles");
            subtitles.forEach(subs::add);
            line(videos, v);
            for (TrainingExample e : examples) {
                if (e.video() != videoCount) {
                    throw new IllegalArgumentException(e + " names video row " + e.video() + ", not " + videoCount);
                }
                line(samples, sample(e));
                byKind.merge(e.kind(), 1, Integer::sum);
                sampleCount++;
            }
            videoCount++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write an export to " + dir, e);
        }
    }

    public Map<ExampleKind, Integer> examplesByKind() {
        return Map.copyOf(byKind);
    }

    public int videos() {
        return videoCount;
    }

    public int samples() {
        return sampleCount;
    }

    /** Writes {@code export.json} from {@code meta} plus the counts and file names. */
    public void finish(ObjectNode meta) {
        ObjectNode m = meta.deepCopy();
        m.put("version", VERSION);
        m.put("videos", videoCount);
        m.put("samples", sampleCount);
        m.put("pixels", PIXELS);
        ObjectNode kinds = m.putObject("samples_by_kind");
        byKind.forEach((k, n) -> kinds.put(k.label(), n));
        try {
            close();
            Files.writeString(dir.resolve(META),
                    JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(META), e);
        }
    }

    private static ObjectNode sample(TrainingExample e) {
        ObjectNode s = JSON.createObjectNode();
        s.put("video", e.video());
        s.put("video_id", e.videoId());
        s.put("question_id", e.questionId());
        s.put("task_type", e.taskType());
        s.put("kind", e.kind().label());
        s.put("variant", e.variant());
        s.put("form", e.form());
        s.put("prompt", e.promptText());
        ArrayNode in = s.putArray("input_ids");
        for (int id : e.inputIds()) {
            in.add(id);
        }
        s.put("target", e.targetText());
        ArrayNode out = s.putArray("target_ids");
        for (int id : e.targetIds()) {
            out.add(id);
        }
        s.put("answer", e.answer());
        return s;
    }

    private static void line(BufferedWriter w, ObjectNode node) throws IOException {
        w.write(JSON.writeValueAsString(node));
        w.write('\n');
    }

    @Override
    public void close() throws IOException {
        if (pixels.isOpen()) {
            pixels.close();
            videos.close();
            samples.close();
        }
    }
}
