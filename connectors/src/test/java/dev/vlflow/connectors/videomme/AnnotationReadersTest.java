package dev.vlflow.connectors.videomme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both annotation layouts, from samples written here in the real formats (the official template's JSON; a parquet
 * with the Hugging Face card's columns written by DuckDB), read into the same model.
 */
class AnnotationReadersTest {

    private static final String OFFICIAL = """
            [
              { "video_id": "001", "duration_category": "short", "video_category": "Knowledge",
                "video_subcategory": "Humanity & History", "url": "https://www.youtube.com/watch?v=fFjv93ACGo8",
                "questions": [
                  { "question_id": "001-1", "task_type": "Object Reasoning",
                    "question": "Which statement is not correct?",
                    "choices": ["A. One.", "B. Two.", "C. Three.", "D. Four."], "answer": "A", "response": "D" },
                  { "question_id": "001-2", "task_type": "Counting Problem", "question": "How many jars?",
                    "choices": ["A. 4.", "B. 9.", "C. 5.", "D. 13."], "answer": "B" } ] },
              { "video_id": "301", "duration_category": "medium", "video_category": "Sports Competition",
                "video_subcategory": "Basketball", "url": "https://youtu.be/Xyz_12-abc",
                "questions": [
                  { "question_id": "301-1", "task_type": "Action Recognition", "question": "Who scores?",
                    "choices": ["A. Red.", "B. Blue.", "C. Green.", "D. Nobody."], "answer": "C" } ] }
            ]
            """;

    private static Annotations expected(AnnotationFormat format) {
        return new Annotations(format, List.of(
                new VideoMmeVideo("001", "fFjv93ACGo8", DurationClass.SHORT, "Knowledge", "Humanity & History",
                        "https://www.youtube.com/watch?v=fFjv93ACGo8", List.of(
                        new VideoMmeQuestion("001-1", "Object Reasoning", "Which statement is not correct?",
                                List.of("A. One.", "B. Two.", "C. Three.", "D. Four."), "A"),
                        new VideoMmeQuestion("001-2", "Counting Problem", "How many jars?",
                                List.of("A. 4.", "B. 9.", "C. 5.", "D. 13."), "B"))),
                new VideoMmeVideo("301", "Xyz_12-abc", DurationClass.MEDIUM, "Sports Competition", "Basketball",
                        "https://youtu.be/Xyz_12-abc", List.of(
                        new VideoMmeQuestion("301-1", "Action Recognition", "Who scores?",
                                List.of("A. Red.", "B. Blue.", "C. Green.", "D. Nobody."), "C")))));
    }

    @Test
    void officialJson(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("videomme.json");
        Files.writeString(file, OFFICIAL);
        Annotations a = AnnotationReader.readFile(file);
        assertEquals(expected(AnnotationFormat.OFFICIAL_JSON), a);
        assertEquals(3, a.questionCount());
    }

    @Test
    void huggingFaceParquet(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("test-00000-of-00001.parquet");
        // rows interleaved on purpose: grouping keeps first-appearance order of videos and row order of questions
        String rows = String.join(",\n",
                "('001','short','Knowledge','Humanity & History','https://www.youtube.com/watch?v=fFjv93ACGo8',"
                        + "'fFjv93ACGo8','001-1','Object Reasoning','Which statement is not correct?',"
                        + "['A. One.','B. Two.','C. Three.','D. Four.'],'A')",
                "('301','medium','Sports Competition','Basketball','https://youtu.be/Xyz_12-abc','Xyz_12-abc',"
                        + "'301-1','Action Recognition','Who scores?',['A. Red.','B. Blue.','C. Green.','D. Nobody.'],'C')",
                "('001','short','Knowledge','Humanity & History','https://www.youtube.com/watch?v=fFjv93ACGo8',"
                        + "'fFjv93ACGo8','001-2','Counting Problem','How many jars?',['A. 4.','B. 9.','C. 5.','D. 13.'],'B')");
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement()) {
            st.execute("CREATE TABLE t AS SELECT * FROM (VALUES " + rows + ") AS v(video_id, duration, domain,"
                    + " sub_category, url, videoID, question_id, task_type, question, options, answer)");
            st.execute("COPY (SELECT * FROM t ORDER BY rowid) TO '" + file + "' (FORMAT parquet)");
        }
        assertEquals(expected(AnnotationFormat.HF_PARQUET), AnnotationReader.readFile(file));
    }

    @Test
    void writerRoundTripsThroughBothFormats(@TempDir Path dir) {
        Annotations a = expected(AnnotationFormat.OFFICIAL_JSON);
        VideoMmeVideo withSentence = new VideoMmeVideo("syn-1", "syn-1", DurationClass.LONG, "Life Record",
                "Daily Life", "", List.of(new VideoMmeQuestion("syn-1-1", "Counting Problem", "How many?",
                List.of("A. 1.", "B. 2.", "C. 3.", "D. 4."), "D", Optional.of("There are four shapes."))));
        a = new Annotations(a.format(), List.of(a.videos().get(0), a.videos().get(1), withSentence));
        Path json = dir.resolve("out.json");
        Path parquet = dir.resolve("out.parquet");
        AnnotationWriter.writeOfficialJson(a, json);
        AnnotationWriter.writeParquet(a, parquet);
        assertEquals(a, AnnotationReader.readFile(json));
        assertEquals(new Annotations(AnnotationFormat.HF_PARQUET, a.videos()), AnnotationReader.readFile(parquet));
    }

    @Test
    void resultsFileCarriesResponses(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("results.json");
        AnnotationWriter.writeOfficialJson(expected(AnnotationFormat.OFFICIAL_JSON), Map.of("001-1", "A", "301-1",
                "The best answer is C"), json);
        var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile());
        assertEquals("A", tree.get(0).get("questions").get(0).get("response").asText());
        assertTrue(tree.get(0).get("questions").get(1).get("response") == null);
        assertEquals("The best answer is C", tree.get(1).get("questions").get(0).get("response").asText());
        assertEquals("Humanity & History", tree.get(0).get("video_subcategory").asText());
        assertEquals("short", tree.get(0).get("duration_category").asText());
        // video 001 has an unanswered question: marked missing for the official scorer's skip_missing
        assertTrue(tree.get(0).get("missing").asBoolean());
        assertEquals(false, tree.get(1).get("missing").asBoolean());
    }

    /**
     * results.json carries both key sets: the June-2024 scorer's (duration_category, video_category,
     * video_subcategory, choices) and the parse_answer scorer's (duration, domain, sub_category, options), equal
     * values; it still reads back as the same annotations.
     */
    @Test
    void resultsFileCarriesBothScorersKeys(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("results.json");
        Annotations a = expected(AnnotationFormat.OFFICIAL_JSON);
        AnnotationWriter.writeResultsJson(a, Map.of("001-1", "Answer: A", "001-2", "B", "301-1", "C"), json);
        var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile());
        for (int v = 0; v < 2; v++) {
            var video = tree.get(v);
            assertEquals(video.get("duration_category"), video.get("duration"));
            assertEquals(video.get("video_category"), video.get("domain"));
            assertEquals(video.get("video_subcategory"), video.get("sub_category"));
            for (var q : video.get("questions")) {
                assertEquals(q.get("choices"), q.get("options"));
                assertEquals(4, q.get("options").size());
                assertTrue(q.has("response"), q.toString());
            }
        }
        assertEquals("short", tree.get(0).get("duration").asText());
        assertEquals("Knowledge", tree.get(0).get("domain").asText());
        assertEquals("Basketball", tree.get(1).get("sub_category").asText());
        assertEquals("A. 4.", tree.get(0).get("questions").get(1).get("options").get(0).asText());
        assertEquals(false, tree.get(0).get("missing").asBoolean());
        assertEquals(a, AnnotationReader.readFile(json));
    }

    @Test
    void limitKeepsTheFirstQuestions() {
        Annotations a = expected(AnnotationFormat.OFFICIAL_JSON);
        assertEquals(1, a.limitQuestions(1).videos().size());
        assertEquals(2, a.limitQuestions(1 + 1).questionCount());
        assertEquals(2, a.limitQuestions(3).videos().size());
        assertEquals(3, a.limitQuestions(99).questionCount());
    }

    @Test
    void taskTypeFilterKeepsMatchingQuestionsAndDropsEmptiedVideos() {
        Annotations a = expected(AnnotationFormat.OFFICIAL_JSON);
        Annotations counting = a.onlyTaskTypes(java.util.Set.of("counting problem"));
        assertEquals(1, counting.videos().size());
        assertEquals("001-2", counting.videos().get(0).questions().get(0).questionId());
        assertEquals(2, a.onlyTaskTypes(java.util.Set.of("Counting Problem", "Action Recognition")).questionCount());
        assertEquals(0, a.onlyTaskTypes(java.util.Set.of("Temporal Reasoning")).questionCount());
        assertEquals(a, a.onlyTaskTypes(java.util.Set.of()));
    }

    @Test
    void badFilesNameTheProblem(@TempDir Path dir) throws Exception {
        Path noAnswer = dir.resolve("bad.json");
        Files.writeString(noAnswer, OFFICIAL.replace("\"answer\": \"C\"", "\"answer\": \"E\""));
        AnnotationException e = assertThrows(AnnotationException.class, () -> AnnotationReader.readFile(noAnswer));
        assertTrue(e.getMessage().contains("301-1"), e.getMessage());
        Path missing = dir.resolve("missing.json");
        Files.writeString(missing, OFFICIAL.replace("\"video_category\": \"Knowledge\",", ""));
        e = assertThrows(AnnotationException.class, () -> AnnotationReader.readFile(missing));
        assertTrue(e.getMessage().contains("video_category"), e.getMessage());
        assertThrows(AnnotationException.class, () -> AnnotationReader.readFile(dir.resolve("x.csv")));
        Path notParquet = dir.resolve("broken.parquet");
        Files.writeString(notParquet, "not a parquet file");
        assertThrows(AnnotationException.class, () -> AnnotationReader.readFile(notParquet));
    }

    @Test
    void videoFilesAreFoundByStemThenId(@TempDir Path dir) throws Exception {
        VideoMmeVideo v = expected(AnnotationFormat.HF_PARQUET).videos().get(0);
        VideoMmeFiles files = new VideoMmeFiles(dir.resolve("video"));
        Files.createDirectories(dir.resolve("video"));
        Files.createDirectories(dir.resolve("subtitle"));
        assertEquals(Optional.empty(), files.video(v));
        Files.writeString(dir.resolve("video/001.mkv"), "x");
        assertEquals(Optional.of(dir.resolve("video/001.mkv")), files.video(v));
        Files.writeString(dir.resolve("video/fFjv93ACGo8.mp4"), "x");
        assertEquals(Optional.of(dir.resolve("video/fFjv93ACGo8.mp4")), files.video(v));
        assertEquals(Optional.empty(), files.subtitles(v));
        Files.writeString(dir.resolve("subtitle/fFjv93ACGo8.srt"), "");
        assertEquals(Optional.of(dir.resolve("subtitle/fFjv93ACGo8.srt")), files.subtitles(v));
    }
}
