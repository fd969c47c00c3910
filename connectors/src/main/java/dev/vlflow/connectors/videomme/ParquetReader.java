package dev.vlflow.connectors.videomme;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Hugging Face parquet ({@code lmms-lab/Video-MME}, {@code videomme/test-00000-of-00001.parquet}): one row per
 * question, read with DuckDB. Rows of one video are grouped in order of first appearance.
 * <pre>
 * video_id | duration | domain | sub_category | url | videoID | question_id | task_type | question | options[] | answer
 * </pre>
 */
public final class ParquetReader implements AnnotationReader {

    private static final List<String> REQUIRED = List.of("video_id", "duration", "domain", "sub_category", "videoID",
            "question_id", "task_type", "question", "options", "answer");

    @Override
    public Annotations read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new AnnotationException(file + ": no such parquet file");
        }
        Map<String, VideoBuilder> videos = new LinkedHashMap<>();
        try (Connection db = DuckDb.open(); Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT * FROM read_parquet(" + DuckDb.literal(file) + ")")) {
            Set<String> columns = columns(rs.getMetaData());
            for (String c : REQUIRED) {
                if (!columns.contains(c)) {
                    throw new AnnotationException(file + ": missing column '" + c + "' (has " + columns + ")");
                }
            }
            boolean hasUrl = columns.contains("url");
            boolean hasSentence = columns.contains("answer_sentence");
            int row = 0;
            while (rs.next()) {
                String at = file + ": row " + row++;
                String videoId = rs.getString("video_id");
                VideoBuilder v = videos.computeIfAbsent(videoId, id -> new VideoBuilder());
                try {
                    v.take(rs, hasUrl);
                    v.questions.add(new VideoMmeQuestion(rs.getString("question_id"), rs.getString("task_type"),
                            rs.getString("question"), strings(rs.getArray("options")), rs.getString("answer").trim(),
                            hasSentence ? Optional.ofNullable(rs.getString("answer_sentence")) : Optional.empty()));
                } catch (IllegalArgumentException | NullPointerException e) {
                    throw new AnnotationException(at + ": " + e.getMessage(), e);
                }
            }
        } catch (SQLException e) {
            throw new AnnotationException(file + ": cannot read Video-MME parquet: " + e.getMessage(), e);
        }
        List<VideoMmeVideo> out = new ArrayList<>();
        videos.forEach((id, b) -> out.add(b.build(id)));
        try {
            return new Annotations(AnnotationFormat.HF_PARQUET, out);
        } catch (IllegalArgumentException e) {
            throw new AnnotationException(file + ": " + e.getMessage(), e);
        }
    }

    private static Set<String> columns(ResultSetMetaData meta) throws SQLException {
        Set<String> names = new HashSet<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            names.add(meta.getColumnName(i));
        }
        return names;
    }

    private static List<String> strings(Array array) throws SQLException {
        if (array == null) {
            throw new IllegalArgumentException("options are null");
        }
        List<String> out = new ArrayList<>();
        for (Object o : (Object[]) array.getArray()) {
            out.add(String.valueOf(o));
        }
        return out;
    }

    /** Collects one video's rows; the per-video fields must agree across its rows. */
    private static final class VideoBuilder {
        private String fileStem;
        private String duration;
        private String domain;
        private String subCategory;
        private String url = "";
        private final List<VideoMmeQuestion> questions = new ArrayList<>();

        void take(ResultSet rs, boolean hasUrl) throws SQLException {
            fileStem = same("videoID", fileStem, rs.getString("videoID"));
            duration = same("duration", duration, rs.getString("duration"));
            domain = same("domain", domain, rs.getString("domain"));
            subCategory = same("sub_category", subCategory, rs.getString("sub_category"));
            if (hasUrl && rs.getString("url") != null) {
                url = rs.getString("url");
            }
        }

        private static String same(String name, String before, String now) {
            if (now == null) {
                throw new IllegalArgumentException(name + " is null");
            }
            if (before != null && !before.equals(now)) {
                throw new IllegalArgumentException("rows of one video disagree on " + name + ": '" + before
                        + "' vs '" + now + "'");
            }
            return now;
        }

        VideoMmeVideo build(String videoId) {
            return new VideoMmeVideo(videoId, fileStem, DurationClass.fromLabel(duration), domain, subCategory, url,
                    questions);
        }
    }
}
