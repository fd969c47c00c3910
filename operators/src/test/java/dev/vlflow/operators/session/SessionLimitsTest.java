package dev.vlflow.operators.session;

import static dev.vlflow.operators.session.SessionFixtures.harness;
import static dev.vlflow.operators.session.SessionFixtures.question;
import static dev.vlflow.operators.session.SessionFixtures.segment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.conf.DecodingSpec;
import dev.vlflow.conf.InputSpec;
import dev.vlflow.conf.KvSpec;
import dev.vlflow.conf.ServingSpec;
import dev.vlflow.conf.StateSpec;
import dev.vlflow.connectors.events.Answer;
import dev.vlflow.connectors.events.AnswerEvent;
import dev.vlflow.connectors.events.DeadLetters;
import dev.vlflow.connectors.events.ErrorKind;
import dev.vlflow.connectors.events.PipelineError;
import dev.vlflow.engine.VlModel;
import dev.vlflow.operators.frames.SegmentEmbeddings;
import dev.vlflow.operators.model.EngineSettings;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The session's input limits: answer tokens, pending questions, token positions per stream. Each a dead letter. */
class SessionLimitsTest {

    @TempDir
    static Path temp;
    static Path modelDir;
    static VlModel model;

    @BeforeAll
    static void load() {
        modelDir = SessionFixtures.makeTinyModel(temp);
        model = VlModel.load(modelDir, EngineSettings.engineOptions(dev.vlflow.conf.ModelSpec.cpu(modelDir.toString())));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static List<PipelineError> deadLetters(SessionHarness h) {
        return h.getSideOutput(DeadLetters.TAG) == null ? List.of()
                : h.getSideOutput(DeadLetters.TAG).stream().map(r -> r.getValue()).toList();
    }

    private static SessionHarness open(InputSpec input) throws Exception {
        SessionHarness h = harness(modelDir, KvSpec.unbounded(8), StateSpec.defaults(), DecodingSpec.greedy(4),
                ServingSpec.defaults(), input, true);
        h.setup();
        h.open();
        return h;
    }

    private static List<Answer> answers(SessionHarness h) {
        return h.extractOutputValues().stream().map(AnswerEvent::getEvent).filter(Answer.class::isInstance)
                .map(Answer.class::cast).toList();
    }

    @Test
    void aQuestionAskingForTooManyTokensIsADeadLetter() throws Exception {
        try (SessionHarness h = open(InputSpec.defaults())) {
            h.processElement1(segment(model, "s", 0, 1, 3), 0);
            h.processElement2(question("s", "greedy", "What?", null, Integer.MAX_VALUE), 0);
            h.processElement2(question("s", "fine", "What?", null, 3), 0);
            List<PipelineError> errors = deadLetters(h);
            assertEquals(1, errors.size(), errors::toString);
            assertEquals(ErrorKind.OVER_LIMIT, errors.get(0).getKind());
            assertEquals("greedy", errors.get(0).getInput());
            assertTrue(errors.get(0).getReason().contains("max_tokens 2147483647 is over the limit of 1024"),
                    errors.get(0).getReason());
            assertEquals(List.of("fine"), answers(h).stream().map(Answer::getQuestionId).toList());
        }
    }

    @Test
    void pendingQuestionsPerStreamAreCapped() throws Exception {
        InputSpec two = new InputSpec(List.of(), List.of("http"), List.of(), 64, 64, java.time.Duration.ofMinutes(1),
                1024, 1024, java.time.Duration.ofSeconds(1), 64, 2, 32768);
        try (SessionHarness h = open(two)) {
            for (int i = 0; i < 4; i++) {
                h.processElement2(question("s", "q" + i, "Later?", 1L, 3), 0);
            }
            h.processElement2(question("other", "o", "Later?", 1L, 3), 0); // another stream has its own room
            h.processElement1(segment(model, "s", 0, 1, 3), 0);
            h.processElement1(segment(model, "s", 1, 1, 4), 0);
            h.processElement1(segment(model, "other", 0, 1, 3), 0);
            h.processElement1(segment(model, "other", 1, 1, 4), 0);
            List<PipelineError> errors = deadLetters(h);
            assertEquals(List.of("q2", "q3"), errors.stream().map(PipelineError::getInput).toList());
            assertTrue(errors.stream().allMatch(e -> e.getKind() == ErrorKind.OVER_LIMIT));
            assertTrue(errors.get(0).getReason().contains("max-pending-questions"), errors.get(0).getReason());
            assertEquals(List.of("o", "q0", "q1"), answers(h).stream().map(Answer::getQuestionId).sorted().toList());
        }
    }

    @Test
    void aSegmentPastTheStreamsPositionsIsADeadLetterAndTheStreamGoesOn() throws Exception {
        SegmentEmbeddings first = segment(model, "s", 0, 1, 3);
        int firstPositions = model.openSession().positionsFor(SessionFixtures.embeddings(first));
        InputSpec small = InputSpec.defaults().withFileRoots(List.of());
        small = new InputSpec(small.fileRoots(), small.urlSchemes(), small.urlHosts(), 64, 64, small.maxDuration(),
                1024, 1024, small.ioTimeout(), 64, 8, firstPositions + 5);
        try (SessionHarness h = open(small)) {
            h.processElement1(first, 0);
            h.processElement1(segment(model, "s", 1, 1, 4), 0); // one more frame does not fit
            h.processElement2(question("s", "q", "What?", 1L, 3), 0);
            h.processBothWatermarks(new Watermark(Long.MAX_VALUE));
            List<PipelineError> errors = deadLetters(h);
            assertEquals(1, errors.size(), errors::toString);
            assertEquals(ErrorKind.OVER_LIMIT, errors.get(0).getKind());
            assertEquals("s#1", errors.get(0).getInput());
            assertTrue(errors.get(0).getReason().contains("max-stream-tokens"), errors.get(0).getReason());
            List<Answer> answers = answers(h);
            assertEquals(1, answers.size());
            assertEquals(1, answers.get(0).getFrames(), "answered over the first segment only");
        }
    }
}
