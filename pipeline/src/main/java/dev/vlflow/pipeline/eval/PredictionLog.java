package dev.vlflow.pipeline.eval;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The predictions JSONL, also the progress log: a video's predictions are appended (and flushed) together once the
 * video is done, so a rerun skips every video whose questions are all in the log. A torn last line (a run killed
 * while writing) is ignored; a question logged twice keeps its last line.
 */
public final class PredictionLog implements AutoCloseable {

    private final Path file;
    private final Map<String, Prediction> byQuestion = new LinkedHashMap<>();
    private final BufferedWriter out;
    private final int ignoredLines;

    private PredictionLog(Path file) throws IOException {
        this.file = file;
        int ignored = 0;
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    Prediction p = PredictionJson.fromLine(line);
                    byQuestion.remove(p.questionId());
                    byQuestion.put(p.questionId(), p);
                } catch (IllegalArgumentException e) {
                    ignored++;
                }
            }
        }
        this.ignoredLines = ignored;
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        boolean needsNewline = Files.exists(file) && Files.size(file) > 0 && !endsWithNewline(file);
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        if (needsNewline) {
            out.newLine();
        }
    }

    /** Opens (creating if needed) a log and loads what it holds. */
    public static PredictionLog open(Path file) {
        try {
            return new PredictionLog(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open predictions log " + file, e);
        }
    }

    public Path file() {
        return file;
    }

    /** Lines that could not be read (a torn tail, foreign lines). */
    public int ignoredLines() {
        return ignoredLines;
    }

    /** Whether every one of these question ids is logged. */
    public synchronized boolean hasAll(Set<String> questionIds) {
        return byQuestion.keySet().containsAll(questionIds);
    }

    /** Appends one video's predictions and flushes them to the file. */
    public synchronized void append(List<Prediction> videoPredictions) {
        try {
            for (Prediction p : videoPredictions) {
                out.write(PredictionJson.toLine(p));
                out.newLine();
                byQuestion.remove(p.questionId());
                byQuestion.put(p.questionId(), p);
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
    }

    /** Everything logged, in log order. */
    public synchronized List<Prediction> predictions() {
        return new ArrayList<>(byQuestion.values());
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file, e);
        }
    }

    private static boolean endsWithNewline(Path file) throws IOException {
        try (var ch = Files.newByteChannel(file)) {
            ch.position(ch.size() - 1);
            var b = java.nio.ByteBuffer.allocate(1);
            ch.read(b);
            return b.get(0) == '\n';
        }
    }
}
