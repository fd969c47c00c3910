package dev.vlflow.pipeline.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads back what the job committed: every {@code *.jsonl} part file of its answer and dead-letter directories
 * (in-progress parts, hidden names, are left out).
 *
 * @param tokens      {@code type = token} lines
 * @param answers     {@code type = answer} lines
 * @param deadLetters {@code type = error} lines
 */
public record StreamOutputs(List<JsonNode> tokens, List<JsonNode> answers, List<JsonNode> deadLetters) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static StreamOutputs read(StreamIo io) {
        List<JsonNode> tokens = new ArrayList<>();
        List<JsonNode> answers = new ArrayList<>();
        for (JsonNode line : lines(io.answers())) {
            (line.get("type").asText().equals("token") ? tokens : answers).add(line);
        }
        return new StreamOutputs(tokens, answers, lines(io.deadLetters()));
    }

    private static List<JsonNode> lines(Path dir) {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".jsonl")
                    && !p.getFileName().toString().startsWith(".")).sorted().toList()) {
                for (String line : Files.readAllLines(f)) {
                    if (!line.isBlank()) {
                        out.add(JSON.readTree(line));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir, e);
        }
        return out;
    }
}
