package dev.vlflow.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vlflow.cli.Main;
import dev.vlflow.connectors.videomme.AnswerExtractor;
import dev.vlflow.operators.frames.SegmentReader;
import dev.vlflow.pipeline.dataset.Scene;
import dev.vlflow.pipeline.stream.DemoInputs;
import dev.vlflow.pipeline.stream.SceneDemo;
import dev.vlflow.pipeline.stream.StreamIo;
import dev.vlflow.pipeline.stream.StreamOutputs;
import dev.vlflow.vision.VideoLimits;
import dev.vlflow.vision.preprocess.Preprocessor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vlflow demo} from a home directory that holds only the repository's {@code models/tiny-trained}: it makes
 * the model and the scene video, runs the job, answers every question on both streams from 8 frames spread over the
 * video, and answers them correctly (the official letter extraction gives the data set's letter; sentences are the
 * data set's sentences).
 */
class DemoCommandTest {

    @TempDir
    Path home;

    @AfterEach
    void clearHome() {
        System.clearProperty("vlflow.home");
    }

    @Test
    void theDemoAnswersTheSceneQuestionsCorrectly() throws Exception {
        copyRepositoryCheckpoint(home);
        System.setProperty("vlflow.home", home.toString());
        assertEquals(0, Main.run("demo"));

        Path model = home.resolve(".vlflow/models/tiny-trained");
        assertTrue(Files.isRegularFile(model.resolve("config.json")));
        assertTrue(Files.isRegularFile(model.resolve("source.sha256")));
        Path demo = home.resolve(".vlflow").resolve("demo");
        Path video;
        try (Stream<Path> videos = Files.list(demo.resolve("video"))) {
            video = videos.filter(p -> p.toString().endsWith(".mp4")).findFirst().orElseThrow();
        }
        StreamOutputs out = StreamOutputs.read(new StreamIo(demo.resolve("input"), Optional.empty(),
                demo.resolve("output"), false));
        Scene scene = SceneDemo.scene();
        SceneDemo.Script script = SceneDemo.script(scene, video, 24);
        assertTrue(out.deadLetters().isEmpty(), out.deadLetters().toString());
        assertEquals(script.asked().size(), out.answers().size());
        assertEquals(2 * 2 * SceneDemo.questions(scene).size(), script.asked().size(), "letter and sentence forms "
                + "on two streams");
        for (JsonNode a : out.answers()) {
            assertEquals(SceneDemo.FRAMES, a.get("frames").asInt(), "frames the model saw: " + a);
            assertEquals(a.get("stream").asText().equals(SceneDemo.LIVE) ? SceneDemo.SECONDS : 1,
                    a.get("segments").asInt(), "answered after the stream's last segment: " + a);
        }
        assertFramesSpreadOverTheVideo(model, script);

        List<Executable> correct = new ArrayList<>();
        for (SceneDemo.Asked q : script.asked()) {
            String reply = SceneDemo.reply(q, out.answers()).orElseThrow();
            String where = q.question().getStreamId() + "/" + q.question().getQuestionId() + ": \"" + reply + "\"";
            correct.add(switch (q.form()) {
                case LETTER -> () -> assertEquals(Optional.of(q.source().answer()), AnswerExtractor.extract(reply),
                        where + ", expected " + q.expected());
                case SENTENCE -> () -> assertEquals(q.sentence(), reply.strip(), where);
            });
        }
        assertAll("the demo's answers (needs the trained checkpoint)", correct);
    }

    @Test
    void theModelIsMadeAgainWhenTheRepositoryCopyChanges() throws Exception {
        Path repo = home.resolve("repo");
        Path stored = repo.resolve("models/tiny-trained");
        copyTree(repositoryCheckpoint(), stored);
        System.setProperty("vlflow.home", repo.toString());
        Path made = home.resolve("made");
        assertTrue(SceneDemo.ensureModel(made));
        assertArrayEquals(Files.readAllBytes(stored.resolve("model.safetensors")),
                Files.readAllBytes(made.resolve("model.safetensors")));
        assertFalse(SceneDemo.ensureModel(made), "unchanged: kept");
        Files.writeString(stored.resolve("training.json"), "\n", StandardOpenOption.APPEND);
        assertTrue(SceneDemo.ensureModel(made), "changed: made again");
        assertEquals(Files.readString(stored.resolve("training.json")),
                Files.readString(made.resolve("training.json")));
        assertFalse(SceneDemo.ensureModel(made));
    }

    /**
     * Frames as the job reads them: the live stream one per second (0..7 s), the whole-video segment the
     * evaluation's 8 (frames 0, 9, ..., 63 of 64 at 8 fps: 0, 1.125, ..., 7.875 s).
     */
    private static void assertFramesSpreadOverTheVideo(Path model, SceneDemo.Script script) throws Exception {
        SegmentReader reader = new SegmentReader(Preprocessor.forModel(model), VideoLimits.defaults());
        List<Long> live = new ArrayList<>();
        List<Long> whole = new ArrayList<>();
        for (DemoInputs.Event e : script.events()) {
            if (e instanceof DemoInputs.Segment s) {
                long[] times = reader.read(s.segment(), s.segment().getFrames()).timestampsMicros();
                for (long t : times) {
                    (s.segment().getStreamId().equals(SceneDemo.LIVE) ? live : whole).add(t);
                }
            }
        }
        List<Long> perSecond = new ArrayList<>();
        List<Long> linspace = new ArrayList<>();
        for (int k = 0; k < SceneDemo.FRAMES; k++) {
            perSecond.add(k * 1_000_000L);
            linspace.add(k * 1_125_000L);
        }
        assertEquals(perSecond, live);
        assertEquals(linspace, whole);
    }

    /** {@code home/models/tiny-trained}: a copy of the repository's, as in a checkout. */
    private static void copyRepositoryCheckpoint(Path home) throws Exception {
        copyTree(repositoryCheckpoint(), home.resolve("models/tiny-trained"));
    }

    private static Path repositoryCheckpoint() {
        for (Path at = Path.of("").toAbsolutePath(); at != null; at = at.getParent()) {
            if (Files.isRegularFile(at.resolve("models/tiny-trained/config.json"))) {
                return at.resolve("models/tiny-trained");
            }
        }
        throw new AssertionError("models/tiny-trained not found above " + Path.of("").toAbsolutePath());
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }
}
