package dev.vlflow.pipeline.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.connectors.videomme.AnswerExtractor;
import dev.vlflow.connectors.videomme.DurationClass;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The predictions JSONL as a progress log: round trip, reopen, torn tail, last line wins. */
class PredictionLogTest {

    static Prediction prediction(String qid, String vid, String answer, String response) {
        return prediction(qid, vid, answer, response, true);
    }

    static Prediction prediction(String qid, String vid, String answer, String response, boolean prefixShared) {
        return new Prediction(qid, vid, DurationClass.SHORT, "Knowledge", "Geography", "Counting Problem", answer,
                response, AnswerExtractor.extract(response),
                new QuestionCost(4, 100, 20, 2, 4096, 1.5, 2.5, 3.5, prefixShared, 4.5, 0.5));
    }

    @Test
    void roundTripsAndResumes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("out/predictions.jsonl");
        Prediction a = prediction("001-1", "001", "A", "A.");
        Prediction b = prediction("001-2", "001", "B", "the answer is unclear to me in this video honestly sorry");
        try (PredictionLog log = PredictionLog.open(file)) {
            assertFalse(log.hasAll(Set.of("001-1")));
            log.append(List.of(a, b));
        }
        assertEquals(a, PredictionJson.fromLine(PredictionJson.toLine(a)));
        // a run killed mid-write leaves a torn line; reopening ignores it and appends after it on a new line
        Files.writeString(file, "{\"v\":1,\"question_id\":\"002-", StandardOpenOption.APPEND);
        Prediction c = prediction("002-1", "002", "C", "C");
        try (PredictionLog log = PredictionLog.open(file)) {
            assertEquals(1, log.ignoredLines());
            assertTrue(log.hasAll(Set.of("001-1", "001-2")));
            assertFalse(log.hasAll(Set.of("001-1", "002-1")));
            log.append(List.of(c, prediction("001-1", "001", "A", "D")));
        }
        try (PredictionLog log = PredictionLog.open(file)) {
            List<Prediction> all = log.predictions();
            assertEquals(List.of("001-2", "002-1", "001-1"), all.stream().map(Prediction::questionId).toList());
            assertEquals("D", all.get(2).response());
            assertTrue(all.get(0).extracted().isEmpty());
        }
    }
}
