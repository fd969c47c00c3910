package dev.vlflow.pipeline.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.connectors.videomme.AnnotationFormat;
import dev.vlflow.connectors.videomme.AnnotationReader;
import dev.vlflow.connectors.videomme.Annotations;
import dev.vlflow.connectors.videomme.DurationClass;
import dev.vlflow.connectors.videomme.SrtReader;
import dev.vlflow.connectors.videomme.VideoMmeQuestion;
import dev.vlflow.connectors.videomme.VideoMmeVideo;
import dev.vlflow.vision.synthetic.Rgb;
import dev.vlflow.vision.synthetic.SyntheticVideo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The synthetic set: known answers, both formats identical, durations spread, subtitles quoted, pixels as planned. */
class SyntheticVideoMmeTest {

    @Test
    void planIsDeterministicAndSpreadOverDurations() {
        ScenePlanner planner = new ScenePlanner(128, 128, 8);
        List<Scene> a = planner.plan(9, 7);
        assertEquals(a, planner.plan(9, 7));
        for (Scene s : a) {
            DurationClass want = DurationClass.values()[(Integer.parseInt(s.videoId()) - 1) % 3];
            assertEquals(want, s.duration());
            int lo = want == DurationClass.SHORT ? 4 : want == DurationClass.MEDIUM ? 10 : 20;
            int hi = want == DurationClass.SHORT ? 8 : want == DurationClass.MEDIUM ? 16 : 30;
            assertTrue(s.seconds() >= lo && s.seconds() <= hi, s.toString());
            assertEquals(s.videoId().equals("002") || s.videoId().equals("005") || s.videoId().equals("008"),
                    s.hasSubtitles());
            for (SceneShape sh : s.shapes()) {
                // the shape stays inside the frame for the whole video
                double t = s.seconds() - sh.appearSeconds();
                double x1 = sh.x() + sh.vx() * t;
                double y1 = sh.y() + sh.vy() * t;
                assertTrue(Math.min(sh.x(), x1) >= 0 && Math.max(sh.x(), x1) + sh.size() <= s.width(), sh.toString());
                assertTrue(Math.min(sh.y(), y1) >= 0 && Math.max(sh.y(), y1) + sh.size() <= s.height(), sh.toString());
            }
        }
    }

    @Test
    void answersFollowTheScene() {
        List<Scene> scenes = new ScenePlanner(128, 128, 8).plan(12, 3);
        Random rng = new Random(1);
        for (Scene s : scenes) {
            List<VideoMmeQuestion> qs = SceneQuestions.questions(s, rng);
            assertEquals(3, qs.size());
            for (VideoMmeQuestion q : qs) {
                String correct = q.options().get(q.answerIndex()).substring(3);
                String sentence = q.answerSentence().orElseThrow();
                switch (q.taskType()) {
                    case "Counting Problem" -> assertEquals(List.of("One.", "Two.", "Three.", "Four.")
                            .get(s.shapes().size() - 1), correct);
                    case "Attribute Perception" -> assertEquals(cap(s.shapes().get(0).colour()) + ".", correct);
                    case "Spatial Perception" -> {
                        SceneShape sh = s.shapes().stream().filter(x -> q.question().contains(x.name())).findFirst()
                                .orElseThrow();
                        assertEquals(cap(sh.direction().word()) + ".", correct);
                        assertEquals("The " + sh.name() + " moves " + sh.direction().word() + ".", sentence);
                    }
                    case "Temporal Perception" -> assertEquals("The " + s.shapes().get(s.shapes().size() - 1).name()
                            + ".", correct);
                    case "Information Synopsis" -> {
                        assertEquals(cap(s.secretWord().orElseThrow()) + ".", correct);
                        // the sentence answer is the subtitle line itself (prompt lookup can copy it)
                        assertTrue(SceneQuestions.subtitles(s).stream().anyMatch(c -> c.text().equals(sentence)));
                    }
                    default -> throw new AssertionError(q.taskType());
                }
                assertEquals(4, q.options().stream().distinct().count(), q.options().toString());
            }
        }
    }

    @Test
    void writesBothFormatsVideosAndSubtitles(@TempDir Path dir) throws Exception {
        SyntheticVideoMme.Written w = SyntheticVideoMme.write(dir, 3, 11, new SyntheticVideoMme.Format(64, 64, 4));
        Annotations json = AnnotationReader.readFile(w.officialJson());
        Annotations parquet = AnnotationReader.readFile(w.parquet());
        assertEquals(json.videos(), parquet.videos());
        assertEquals(AnnotationFormat.HF_PARQUET, parquet.format());
        assertEquals(9, json.questionCount());
        for (VideoMmeVideo v : json.videos()) {
            assertTrue(Files.size(dir.resolve("video").resolve(v.videoId() + ".mp4")) > 0);
        }
        Path srt = dir.resolve("subtitle/002.srt");
        assertTrue(Files.readString(srt).contains("<font color=\"white\" size=\".72c\">"));
        assertEquals(SceneQuestions.subtitles(w.scenes().get(1)), SrtReader.read(srt).cues());
        assertTrue(Files.readString(dir.resolve("scenes.json")).contains("\"direction\""));
        // the last frame shows every shape in its colour (the pictures the encoder got)
        Scene s = w.scenes().get(0);
        var spec = SyntheticVideoMme.spec(s);
        byte[] last = SyntheticVideo.render(spec, spec.slots().length - 1);
        for (SceneShape sh : s.shapes()) {
            assertTrue(hasColour(last, SyntheticVideoMme.rgb(sh.colour())), sh.toString());
        }
    }

    /**
     * For every video of a generated set that has subtitles (read back from its files): no question's correct
     * answer, answer sentence or other option is in the subtitles, except the secret word, which is; no colour,
     * shape, direction, count or order word is; and the track does not change when the shapes do.
     */
    @Test
    void subtitlesStateTheAnswerOfNoQuestionButTheSecretWord(@TempDir Path dir) throws Exception {
        SyntheticVideoMme.Written w = SyntheticVideoMme.write(dir, 18, 5, new SyntheticVideoMme.Format(64, 64, 4));
        Annotations annotations = AnnotationReader.readFile(w.officialJson());
        List<String> facts = new java.util.ArrayList<>(List.of("square", "circle", "shape", "shapes", "first",
                "last", "one", "two", "three", "four", "1", "2", "3", "4"));
        facts.addAll(dev.vlflow.pipeline.dataset.ScenePlanner.COLOURS);
        for (SceneShape.Direction d : SceneShape.Direction.values()) {
            facts.add(d.word());
        }
        int checked = 0;
        for (VideoMmeVideo v : annotations.videos()) {
            Path srt = dir.resolve("subtitle").resolve(v.videoId() + ".srt");
            Scene scene = w.scenes().stream().filter(s -> s.videoId().equals(v.videoId())).findFirst().orElseThrow();
            assertEquals(scene.hasSubtitles(), Files.exists(srt), v.videoId());
            if (!scene.hasSubtitles()) {
                continue;
            }
            List<String> subtitles = words(String.join(" ", SrtReader.read(srt).allTexts()));
            for (String fact : facts) {
                assertTrue(!subtitles.contains(fact), v.videoId() + " subtitles say '" + fact + "': " + subtitles);
            }
            for (VideoMmeQuestion q : v.questions()) {
                for (int i = 0; i < q.options().size(); i++) {
                    List<String> option = words(q.options().get(i).substring(3));
                    boolean secretWord = q.taskType().equals("Information Synopsis") && i == q.answerIndex();
                    assertEquals(secretWord, Collections.indexOfSubList(subtitles, option) >= 0,
                            v.videoId() + " " + q.question() + " option " + q.options().get(i) + " in " + subtitles);
                }
                if (!q.taskType().equals("Information Synopsis")) {
                    List<String> sentence = words(q.answerSentence().orElseThrow());
                    assertTrue(Collections.indexOfSubList(subtitles, sentence) < 0, q.answerSentence().get());
                }
                checked++;
            }
            // the same video with other shapes (another count, colours, directions) gets the same track
            List<SceneShape> others = new java.util.ArrayList<>();
            for (SceneShape sh : scene.shapes()) {
                others.add(new SceneShape("violet", "circle", SceneShape.Direction.UP, sh.size(), sh.x(), sh.y(),
                        sh.speed(), sh.appearSeconds()));
            }
            others.add(new SceneShape("grey", "square", SceneShape.Direction.LEFT, 4, 0, 0, 0, scene.seconds() - 0.5));
            Scene changed = new Scene(scene.videoId(), scene.duration(), scene.seconds(), scene.fps(), scene.width(),
                    scene.height(), scene.domain(), scene.subCategory(), others, scene.secretWord());
            assertEquals(SceneQuestions.subtitles(scene), SceneQuestions.subtitles(changed));
        }
        assertEquals(18, checked, "6 videos with subtitles, 3 questions each");
    }

    /** Lower-case words of a text, punctuation dropped. */
    private static List<String> words(String text) {
        return java.util.Arrays.stream(text.toLowerCase(java.util.Locale.ROOT).split("[^a-z0-9]+"))
                .filter(t -> !t.isEmpty()).toList();
    }

    private static boolean hasColour(byte[] rgb, Rgb c) {
        for (int i = 0; i < rgb.length; i += 3) {
            if ((rgb[i] & 0xff) == c.r() && (rgb[i + 1] & 0xff) == c.g() && (rgb[i + 2] & 0xff) == c.b()) {
                return true;
            }
        }
        return false;
    }

    private static String cap(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
