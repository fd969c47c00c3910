package dev.vlflow.pipeline.dataset;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vlflow.connectors.videomme.AnnotationFormat;
import dev.vlflow.connectors.videomme.AnnotationWriter;
import dev.vlflow.connectors.videomme.Annotations;
import dev.vlflow.connectors.videomme.VideoMmeVideo;
import dev.vlflow.pipeline.progress.Progress;
import dev.vlflow.pipeline.progress.ProgressDisplay;
import dev.vlflow.vision.synthetic.Rgb;
import dev.vlflow.vision.synthetic.Shape;
import dev.vlflow.vision.synthetic.SyntheticVideo;
import dev.vlflow.vision.synthetic.VideoSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes the synthetic Video-MME-format set:
 * <pre>
 * DIR/videomme.json                               official JSON (questions nested, "choices")
 * DIR/videomme/test-00000-of-00001.parquet        Hugging Face layout (one row per question, "options")
 * DIR/video/&lt;video_id&gt;.mp4                     the videos (MPEG-4 Part 2)
 * DIR/subtitle/&lt;video_id&gt;.srt                  subtitles of every third video
 * DIR/scenes.json                                 ground truth: every shape's colour, form, motion and timing
 * </pre>
 * Both annotation files hold the same questions; each question also has {@code answer_sentence}.
 */
public final class SyntheticVideoMme {

    /** Frame size and rate of the videos. */
    public record Format(int width, int height, double fps) {
        public static Format defaults() {
            return new Format(128, 128, 8);
        }
    }

    /** What was written. */
    public record Written(Path dir, Path officialJson, Path parquet, Annotations annotations, List<Scene> scenes) {
    }

    private static final Rgb BACKGROUND = new Rgb(40, 40, 40);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SyntheticVideoMme() {
    }

    public static Written write(Path dir, int videos, long seed, Format format) {
        return write(dir, videos, seed, format, ProgressDisplay.none());
    }

    /** As {@link #write(Path, int, long, Format)}, drawing a bar per {@code display} (one step per video). */
    public static Written write(Path dir, int videos, long seed, Format format, ProgressDisplay display) {
        List<Scene> scenes = new ScenePlanner(format.width(), format.height(), format.fps()).plan(videos, seed);
        Random rng = new Random(seed ^ 0x5DEECE66DL);
        List<VideoMmeVideo> entries = new ArrayList<>();
        try (Progress progress = display.start("make-dataset", scenes.size(), "videos")) {
            Files.createDirectories(dir.resolve("video"));
            Files.createDirectories(dir.resolve("subtitle"));
            for (Scene s : scenes) {
                entries.add(new VideoMmeVideo(s.videoId(), s.videoId(), s.duration(), s.domain(), s.subCategory(), "",
                        SceneQuestions.questions(s, rng)));
                SyntheticVideo.write(spec(s), dir.resolve("video").resolve(s.videoId() + ".mp4"));
                if (s.hasSubtitles()) {
                    Files.writeString(dir.resolve("subtitle").resolve(s.videoId() + ".srt"),
                            SceneQuestions.srt(SceneQuestions.subtitles(s)));
                }
                progress.step();
            }
            Annotations annotations = new Annotations(AnnotationFormat.OFFICIAL_JSON, entries);
            Path json = dir.resolve("videomme.json");
            Path parquet = dir.resolve("videomme").resolve("test-00000-of-00001.parquet");
            AnnotationWriter.writeOfficialJson(annotations, json);
            AnnotationWriter.writeParquet(annotations, parquet);
            JSON.writeValue(dir.resolve("scenes.json").toFile(), groundTruth(scenes));
            return new Written(dir, json, parquet, annotations, scenes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the synthetic set to " + dir, e);
        }
    }

    /** The video of a scene. */
    public static VideoSpec spec(Scene s) {
        List<Shape> shapes = new ArrayList<>();
        for (SceneShape sh : s.shapes()) {
            Shape.Form form = sh.form().equals("square") ? Shape.Form.RECTANGLE : Shape.Form.ELLIPSE;
            shapes.add(new Shape(form, rgb(sh.colour()), sh.size(), sh.size(), sh.x(), sh.y(), sh.vx(), sh.vy(),
                    Duration.ofMillis(Math.round(sh.appearSeconds() * 1000)), Duration.ofDays(1)));
        }
        return VideoSpec.of(s.width(), s.height(), s.fps(), Duration.ofSeconds(s.seconds()))
                .withBackground(BACKGROUND).withShapes(shapes.toArray(Shape[]::new));
    }

    /** Pixels of a colour name. */
    public static Rgb rgb(String colour) {
        return switch (colour) {
            case "red" -> Rgb.RED;
            case "green" -> Rgb.GREEN;
            case "blue" -> Rgb.BLUE;
            case "yellow" -> Rgb.YELLOW;
            case "purple" -> new Rgb(150, 50, 200);
            case "orange" -> new Rgb(245, 140, 20);
            default -> throw new IllegalArgumentException("unknown colour " + colour);
        };
    }

    private static ArrayNode groundTruth(List<Scene> scenes) {
        ArrayNode root = JSON.createArrayNode();
        for (Scene s : scenes) {
            ObjectNode o = root.addObject();
            o.put("video_id", s.videoId());
            o.put("duration", s.duration().label());
            o.put("seconds", s.seconds());
            o.put("fps", s.fps());
            o.put("width", s.width());
            o.put("height", s.height());
            o.put("background", "#282828");
            s.secretWord().ifPresent(w -> o.put("secret_word", w));
            ArrayNode shapes = o.putArray("shapes");
            for (SceneShape sh : s.shapes()) {
                ObjectNode j = shapes.addObject();
                j.put("colour", sh.colour());
                j.put("form", sh.form());
                j.put("direction", sh.direction().word());
                j.put("size", sh.size());
                j.put("x", sh.x());
                j.put("y", sh.y());
                j.put("vx", sh.vx());
                j.put("vy", sh.vy());
                j.put("appear_s", sh.appearSeconds());
            }
        }
        return root;
    }
}
