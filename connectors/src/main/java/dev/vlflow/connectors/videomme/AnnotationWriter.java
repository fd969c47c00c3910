package dev.vlflow.connectors.videomme;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * Writes annotations in either layout: the official JSON (optionally with each question's {@code response} filled,
 * which makes it the results file the official {@code eval_your_results.py} reads) and the Hugging Face parquet.
 * The parquet keeps the card's column order and adds {@code answer_sentence} where questions have one.
 */
public final class AnnotationWriter {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private AnnotationWriter() {
    }

    /** The official JSON without responses. */
    public static void writeOfficialJson(Annotations annotations, Path file) {
        writeOfficialJson(annotations, Map.of(), file);
    }

    /**
     * The official JSON; a question whose id is in {@code responses} gets {@code "response": <text>}. With
     * responses, each video also gets {@code "missing"} (true when some of its questions have none), which the
     * official scorer's {@code skip_missing} option reads.
     */
    public static void writeOfficialJson(Annotations annotations, Map<String, String> responses, Path file) {
        write(officialTree(annotations, responses), file);
    }

    private static void write(ArrayNode root, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            JSON.writeValue(file.toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * The results file both official scorers read: the official JSON with responses ({@link #writeOfficialJson}),
     * where every video also carries the Hugging Face names of its fields ({@code duration}, {@code domain},
     * {@code sub_category}) and every question its {@code options}, because the parse_answer
     * {@code eval_your_results.py} that the Video-MME README links today reads those names, while the June-2024
     * script reads {@code duration_category}, {@code video_category}, {@code video_subcategory} and
     * {@code choices}.
     */
    public static void writeResultsJson(Annotations annotations, Map<String, String> responses, Path file) {
        ArrayNode root = officialTree(annotations, responses);
        for (var video : root) {
            ObjectNode v = (ObjectNode) video;
            v.put("duration", v.get("duration_category").asText());
            v.put("domain", v.get("video_category").asText());
            v.put("sub_category", v.get("video_subcategory").asText());
            for (var question : v.get("questions")) {
                ((ObjectNode) question).set("options", question.get("choices").deepCopy());
            }
        }
        write(root, file);
    }

    /** The official JSON as a tree ({@link OfficialJsonReader#parse} reads it back). */
    public static ArrayNode officialTree(Annotations annotations, Map<String, String> responses) {
        ArrayNode root = JSON.createArrayNode();
        for (VideoMmeVideo v : annotations.videos()) {
            ObjectNode video = root.addObject();
            video.put("video_id", v.videoId());
            video.put("duration_category", v.duration().label());
            video.put("video_category", v.domain());
            video.put("video_subcategory", v.subCategory());
            video.put("url", v.url());
            if (!v.fileStem().equals(v.videoId()) && YoutubeIds.fromUrl(v.url()).filter(v.fileStem()::equals).isEmpty()) {
                video.put("videoID", v.fileStem());
            }
            if (!responses.isEmpty()) {
                // the official scorer's skip_missing reads this flag: a video not (fully) answered is skipped
                video.put("missing", !v.questions().stream().allMatch(q -> responses.containsKey(q.questionId())));
            }
            ArrayNode questions = video.putArray("questions");
            for (VideoMmeQuestion q : v.questions()) {
                ObjectNode question = questions.addObject();
                question.put("question_id", q.questionId());
                question.put("task_type", q.taskType());
                question.put("question", q.question());
                ArrayNode choices = question.putArray("choices");
                q.options().forEach(choices::add);
                question.put("answer", q.answer());
                q.answerSentence().ifPresent(s -> question.put("answer_sentence", s));
                if (responses.containsKey(q.questionId())) {
                    question.put("response", responses.get(q.questionId()));
                }
            }
        }
        return root;
    }

    /** The Hugging Face parquet, written with DuckDB's {@code COPY ... TO ... (FORMAT parquet)}. */
    public static void writeParquet(Annotations annotations, Path file) {
        try (Connection db = DuckDb.open()) {
            try (Statement st = db.createStatement()) {
                st.execute("CREATE TABLE videomme (video_id VARCHAR, duration VARCHAR, domain VARCHAR,"
                        + " sub_category VARCHAR, url VARCHAR, videoID VARCHAR, question_id VARCHAR,"
                        + " task_type VARCHAR, question VARCHAR, options VARCHAR[], answer VARCHAR,"
                        + " answer_sentence VARCHAR)");
            }
            try (PreparedStatement insert = db.prepareStatement(
                    "INSERT INTO videomme VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (VideoMmeVideo v : annotations.videos()) {
                    for (VideoMmeQuestion q : v.questions()) {
                        insert.setString(1, v.videoId());
                        insert.setString(2, v.duration().label());
                        insert.setString(3, v.domain());
                        insert.setString(4, v.subCategory());
                        insert.setString(5, v.url());
                        insert.setString(6, v.fileStem());
                        insert.setString(7, q.questionId());
                        insert.setString(8, q.taskType());
                        insert.setString(9, q.question());
                        insert.setArray(10, db.createArrayOf("VARCHAR", q.options().toArray()));
                        insert.setString(11, q.answer());
                        insert.setString(12, q.answerSentence().orElse(null));
                        insert.addBatch();
                    }
                }
                insert.executeBatch();
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.deleteIfExists(file);
            try (Statement st = db.createStatement()) {
                String order = "ORDER BY rowid";
                st.execute("COPY (SELECT * FROM videomme " + order + ") TO " + DuckDb.literal(file)
                        + " (FORMAT parquet)");
            }
        } catch (SQLException e) {
            throw new AnnotationException("cannot write parquet " + file + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
