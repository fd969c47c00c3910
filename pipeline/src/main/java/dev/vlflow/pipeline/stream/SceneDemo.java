package dev.vlflow.pipeline.stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vlflow.connectors.events.Question;
import dev.vlflow.connectors.videomme.AnswerExtractor;
import dev.vlflow.connectors.videomme.PromptStyle;
import dev.vlflow.connectors.videomme.SubtitleInput;
import dev.vlflow.connectors.videomme.VideoMmePrompt;
import dev.vlflow.connectors.videomme.VideoMmeQuestion;
import dev.vlflow.engine.model.make.ModelMaker;
import dev.vlflow.engine.model.make.ModelPreset;
import dev.vlflow.pipeline.dataset.Scene;
import dev.vlflow.pipeline.dataset.ScenePlanner;
import dev.vlflow.pipeline.dataset.SceneQuestions;
import dev.vlflow.pipeline.dataset.SyntheticVideoMme;
import dev.vlflow.vision.synthetic.SyntheticVideo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

/**
 * What {@code vlflow demo} feeds the job: the {@code tiny-trained} checkpoint the project trained on its synthetic
 * Video-MME set, one fresh scene of that set (planned from {@link #SEED}, which is neither the training seed 1 nor
 * the held-out seed 2) rendered exactly as the set renders it, and that scene's questions asked as the evaluation
 * asks them, each with the answer the data set expects.
 *
 * <p>Frames. The model was trained on 8 frames sampled uniformly over the whole video (lmms-eval's linspace rule),
 * i.e. for an 8 s video at 8 fps (64 frames) frames 0, 9, ..., 63 (0, 1.125, ..., 7.875 s). The demo streams the
 * scene twice, every segment saying how many frames it wants (so {@code vlflow.video.frames-per-segment} does not
 * matter):
 * <ul>
 *   <li>{@link #LIVE}: a 1 fps live feed, eight 1 s segments of 1 frame each (the first frame of each second:
 *       0, 1, ..., 7 s), i.e. 8 frames spread evenly over the video, as the training set's 7 s videos give;</li>
 *   <li>{@link #WHOLE}: the whole video as one 8 s segment of 8 frames: exactly the frames the training export and
 *       {@code vlflow eval videomme --frames 8} take.</li>
 * </ul>
 * Every question is asked on both streams after their last segment, so it is about the whole video.
 *
 * <p>Questions. For each of the scene's questions ({@link SceneQuestions}): the official Video-MME prompt with its
 * four options, no subtitles (the scene has none), graded by the official letter extraction; and the bare question,
 * graded by equality with the data set's sentence answer.
 */
public final class SceneDemo {

    /** The preset the demo runs; its checkpoint is kept in the repository under {@code models/tiny-trained/}. */
    public static final ModelPreset MODEL = ModelPreset.TINY_TRAINED;
    /** Seed of the scene plan and of the question choice. */
    public static final long SEED = 2024;
    public static final int SECONDS = 8;
    public static final String LIVE = "cam-1";
    public static final String WHOLE = "cam-2";
    /** Frames every stream gives the model, as in training. */
    public static final int FRAMES = 8;

    /** File in the made model directory naming the digest of the repository copy it was made from. */
    static final String SOURCE_DIGEST = "source.sha256";

    /** How a question is asked and graded. */
    public enum Form {
        /** Official Video-MME prompt with options; right when the extracted letter is the answer. */
        LETTER,
        /** The bare question; right when the reply is the answer sentence. */
        SENTENCE
    }

    /**
     * One question of the demo.
     *
     * @param question the event the job reads
     * @param form     how it is asked and graded
     * @param source   the data set question it comes from (answer letter and sentence)
     */
    public record Asked(Question question, Form form, VideoMmeQuestion source) {

        /** The sentence the data set gives as the answer. */
        public String sentence() {
            return source.answerSentence().orElseThrow();
        }

        public boolean correct(String reply) {
            return switch (form) {
                case LETTER -> AnswerExtractor.extract(reply).filter(source.answer()::equals).isPresent();
                case SENTENCE -> reply.strip().equals(sentence());
            };
        }

        /** "B (Two shapes appear.)" or "Two shapes appear.". */
        public String expected() {
            return form == Form.LETTER ? source.answer() + " (" + sentence() + ")" : sentence();
        }

        /** What the reply was graded as: the extracted letter, or the stripped text. */
        public String graded(String reply) {
            return form == Form.LETTER ? AnswerExtractor.extract(reply).orElse("no letter") : reply.strip();
        }
    }

    /** The events in the order the job reads them, and the questions among them. */
    public record Script(List<DemoInputs.Event> events, List<Asked> asked) {
        public Script {
            events = List.copyOf(events);
            asked = List.copyOf(asked);
        }
    }

    private SceneDemo() {
    }

    /**
     * The first scene of the plan of seed {@link #SEED} (set format: 128x128, 8 fps) that lasts {@link #SECONDS} s,
     * has 2 or 3 shapes and no subtitles.
     */
    public static Scene scene() {
        SyntheticVideoMme.Format f = SyntheticVideoMme.Format.defaults();
        for (Scene s : new ScenePlanner(f.width(), f.height(), f.fps()).plan(60, SEED)) {
            if (s.seconds() == SECONDS && s.shapes().size() >= 2 && s.shapes().size() <= 3 && !s.hasSubtitles()) {
                return s;
            }
        }
        throw new IllegalStateException("no " + SECONDS + " s scene of 2-3 shapes in the first 60 of seed " + SEED);
    }

    /** The scene's questions as the data set makes them. */
    public static List<VideoMmeQuestion> questions(Scene scene) {
        return SceneQuestions.questions(scene, new Random(SEED));
    }

    /** "the red square, then the blue circle (moving left, up)". */
    public static String describe(Scene scene) {
        List<String> shapes = new ArrayList<>();
        for (var s : scene.shapes()) {
            shapes.add(String.format(Locale.ROOT, "%s moving %s from %.1f s", s.name(), s.direction().word(),
                    s.appearSeconds()));
        }
        return String.join(", then ", shapes);
    }

    /** The scene's video at {@code file}, rendered as the data set renders it, when missing. */
    public static boolean ensureVideo(Scene scene, Path file) throws IOException {
        if (Files.isRegularFile(file) && Files.size(file) > 0) {
            return false;
        }
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp.mp4");
        SyntheticVideo.write(SyntheticVideoMme.spec(scene), tmp);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        return true;
    }

    /**
     * The {@code tiny-trained} checkpoint in {@code dir}, made from the repository copy when missing or when that
     * copy changed since (a digest of its files is kept next to the made one); returns whether it was made.
     */
    public static boolean ensureModel(Path dir) throws IOException {
        Path source = repositoryCopy();
        String digest = digest(source);
        Path stamp = dir.resolve(SOURCE_DIGEST);
        if (Files.isRegularFile(dir.resolve("config.json")) && Files.isRegularFile(dir.resolve("model.safetensors"))
                && Files.isRegularFile(stamp) && Files.readString(stamp).strip().equals(digest)) {
            return false;
        }
        deleteTree(dir);
        ModelMaker.make(ModelMaker.Request.of(MODEL, dir));
        Files.writeString(stamp, digest + "\n");
        return true;
    }

    /** The repository's {@code models/tiny-trained/}, found as {@code make-model} finds it. */
    public static Path repositoryCopy() {
        String name = MODEL.cliName();
        return ModelMaker.repositoryCopy(MODEL).orElseThrow(() -> new IllegalStateException("the " + name
                + " checkpoint is kept in the repository (models/" + name + "/); run from the repository or pass "
                + "-Dvlflow.home"));
    }

    /**
     * The script: {@link #LIVE} in eight 1 s segments of 1 frame and {@link #WHOLE} as one 8 s segment of 8 frames,
     * interleaved; each stream is asked every question (letter and sentence form) after its last segment.
     */
    public static Script script(Scene scene, Path video, int maxTokens) {
        String uri = video.toAbsolutePath().toString();
        List<DemoInputs.Event> events = new ArrayList<>();
        List<Asked> asked = new ArrayList<>();
        List<VideoMmeQuestion> questions = questions(scene);
        for (int k = 0; k < SECONDS; k++) {
            events.add(DemoInputs.segment(LIVE, k, uri, k, k + 1, 1));
            if (k == SECONDS / 2 - 1) {
                events.add(DemoInputs.segment(WHOLE, 0, uri, 0, SECONDS, FRAMES));
                ask(WHOLE, 0, questions, maxTokens, events, asked);
            }
        }
        ask(LIVE, SECONDS - 1, questions, maxTokens, events, asked);
        return new Script(events, asked);
    }

    private static void ask(String stream, long after, List<VideoMmeQuestion> questions, int maxTokens,
                            List<DemoInputs.Event> events, List<Asked> asked) {
        for (Form form : Form.values()) {
            for (VideoMmeQuestion q : questions) {
                String text = form == Form.LETTER
                        ? VideoMmePrompt.build(PromptStyle.OFFICIAL, q, new SubtitleInput.Off()) : q.question();
                String id = kind(q) + "-" + form.name().toLowerCase(Locale.ROOT);
                DemoInputs.Ask a = DemoInputs.ask(stream, id, text, after, maxTokens);
                events.add(a);
                asked.add(new Asked(a.question(), form, q));
            }
        }
    }

    /** A short name of the question's kind, from its task type. */
    static String kind(VideoMmeQuestion q) {
        return switch (q.taskType()) {
            case "Attribute Perception" -> "colour";
            case "Counting Problem" -> "count";
            case "Spatial Perception" -> "direction";
            case "Temporal Perception" -> "order";
            case "Information Synopsis" -> "subtitle";
            default -> q.questionId();
        };
    }

    /** SHA-256 over the files of {@code dir} (relative names and contents, in name order). */
    static String digest(Path folder) throws IOException {
        Path dir = folder.toRealPath();
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).sorted(Comparator.comparing(p -> dir.relativize(p).toString()))
                    .toList();
        }
        byte[] buffer = new byte[1 << 16];
        for (Path f : files) {
            md.update(dir.relativize(f).toString().replace('\\', '/').getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            try (InputStream in = new DigestInputStream(Files.newInputStream(f), md)) {
                while (in.read(buffer) >= 0) {
                    // the digest reads along
                }
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Deletes {@code dir} and everything below it; nothing when it does not exist. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** The reply of {@code asked} among the job's answers (by stream and question id). */
    public static Optional<String> reply(Asked asked, List<JsonNode> answers) {
        for (var a : answers) {
            if (a.get("stream").asText().equals(asked.question().getStreamId())
                    && a.get("question").asText().equals(asked.question().getQuestionId())) {
                return Optional.of(a.get("text").asText());
            }
        }
        return Optional.empty();
    }
}
