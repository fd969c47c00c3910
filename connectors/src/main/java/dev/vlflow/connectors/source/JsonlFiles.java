package dev.vlflow.connectors.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Which files a {@link JsonlSource} reads under its path: the path itself when it is a file, else the directory's
 * {@code *.jsonl} files in name order. Names starting with {@code .} or {@code _} are skipped, so a writer can
 * create a file under a hidden name and rename it when complete.
 */
final class JsonlFiles {

    private JsonlFiles() {
    }

    static List<String> list(Path root) {
        if (Files.isRegularFile(root)) {
            return List.of(root.toAbsolutePath().toString());
        }
        if (!Files.isDirectory(root)) {
            throw new UncheckedIOException(new IOException("no such file or directory: " + root));
        }
        try (Stream<Path> files = Files.list(root)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> {
                        String name = p.getFileName().toString();
                        return name.endsWith(".jsonl") && !name.startsWith(".") && !name.startsWith("_");
                    })
                    .map(p -> p.toAbsolutePath().toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }
}
