package dev.vlflow.pipeline.stream;

import dev.vlflow.connectors.events.EventJson;
import dev.vlflow.connectors.events.Question;
import dev.vlflow.connectors.events.VideoSegment;
import dev.vlflow.engine.model.make.ModelMaker;
import dev.vlflow.engine.model.make.ModelPreset;
import dev.vlflow.vision.synthetic.Rgb;
import dev.vlflow.vision.synthetic.Shape;
import dev.vlflow.vision.synthetic.SyntheticVideo;
import dev.vlflow.vision.synthetic.VideoSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The event script format ({@link Event}) and the machinery inputs of the end-to-end tests and the stream
 * benchmark: the tiny random model, a synthetic video, and a script of events: two streams over the video in
 * segments, with questions asked while they stream. (Random weights: they prove the machinery, not answer quality;
 * {@code vlflow demo} runs the trained model on a data set scene instead, see {@link SceneDemo}.)
 */
public final class DemoInputs {

    /** Seconds of the demo video. */
    public static final int VIDEO_SECONDS = 8;

    /** One line of the event script. */
    public sealed interface Event permits Segment, Ask {
        String line();
    }

    public record Segment(VideoSegment segment) implements Event {
        @Override
        public String line() {
            return EventJson.write(segment);
        }
    }

    public record Ask(Question question) implements Event {
        @Override
        public String line() {
            return EventJson.write(question);
        }
    }

    private DemoInputs() {
    }

    /** The tiny random model in {@code dir}, made when missing; returns whether it was made. */
    public static boolean ensureModel(Path dir) {
        if (Files.isRegularFile(dir.resolve("config.json")) && Files.isRegularFile(dir.resolve("model.safetensors"))) {
            return false;
        }
        ModelMaker.make(ModelMaker.Request.of(ModelPreset.TINY_RANDOM, dir));
        return true;
    }

    /** The demo video: a red square crossing a grey field, a blue circle appearing halfway. */
    public static boolean ensureVideo(Path file) throws IOException {
        if (Files.isRegularFile(file) && Files.size(file) > 0) {
            return false;
        }
        Files.createDirectories(file.getParent());
        VideoSpec spec = VideoSpec.of(224, 224, 8, Duration.ofSeconds(VIDEO_SECONDS))
                .withBackground(Rgb.GREY)
                .withShapes(Shape.rectangle(Rgb.RED, 48, 48, 8, 88, 20, 0),
                        new Shape(Shape.Form.ELLIPSE, Rgb.BLUE, 56, 56, 150, 20, 0, 12, Duration.ofSeconds(4),
                                Duration.ofSeconds(VIDEO_SECONDS)));
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp.mp4");
        SyntheticVideo.write(spec, tmp);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return true;
    }

    /**
     * The event script: stream {@code cam-1} in four 2 s segments and {@code cam-2} in two 4 s segments of the same
     * video, interleaved, with four questions, each waiting for the segment it follows.
     */
    public static List<Event> script(Path video, int maxTokens) {
        String uri = video.toAbsolutePath().toString();
        List<Event> events = new ArrayList<>();
        events.add(segment("cam-1", 0, uri, 0, 2));
        events.add(segment("cam-2", 0, uri, 0, 4));
        events.add(segment("cam-1", 1, uri, 2, 4));
        events.add(ask("cam-1", "q1", "What colour is the square?", 1, maxTokens));
        events.add(segment("cam-1", 2, uri, 4, 6));
        events.add(segment("cam-2", 1, uri, 4, 8));
        events.add(ask("cam-2", "q2", "Is there a circle?", 1, maxTokens));
        events.add(ask("cam-1", "q3", "Where does the square go?", 2, maxTokens));
        events.add(segment("cam-1", 3, uri, 6, 8));
        events.add(ask("cam-1", "q4", "What happened in the video?", 3, maxTokens));
        return events;
    }

    /** Writes the script as one JSONL file. */
    public static Path write(List<Event> events, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, events.stream().map(Event::line).toList());
        return file;
    }

    public static Segment segment(String stream, long sequence, String uri, double start, double end) {
        return new Segment(VideoSegment.newBuilder().setStreamId(stream).setSequence(sequence).setUri(uri)
                .setData(null).setStartSeconds(start).setEndSeconds(end).setFrames(null).build());
    }

    /** A segment that asks for {@code frames} frames (instead of the job's {@code frames-per-segment}). */
    public static Segment segment(String stream, long sequence, String uri, double start, double end, int frames) {
        return new Segment(VideoSegment.newBuilder().setStreamId(stream).setSequence(sequence).setUri(uri)
                .setData(null).setStartSeconds(start).setEndSeconds(end).setFrames(frames).build());
    }

    public static Ask ask(String stream, String id, String text, long after, int maxTokens) {
        return new Ask(Question.newBuilder().setStreamId(stream).setQuestionId(id).setText(text)
                .setOptions(List.of()).setAfterSegment(after).setMaxNewTokens(maxTokens).setSampling(null).build());
    }
}
