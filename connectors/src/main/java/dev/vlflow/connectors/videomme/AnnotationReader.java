package dev.vlflow.connectors.videomme;

import java.nio.file.Path;
import java.util.Locale;

/** Reads a Video-MME annotation file into {@link Annotations}. */
public sealed interface AnnotationReader permits OfficialJsonReader, ParquetReader {

    Annotations read(Path file);

    /** The reader for a file, chosen by its extension ({@code .json} or {@code .parquet}). */
    static AnnotationReader forFile(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".json")) {
            return new OfficialJsonReader();
        }
        if (name.endsWith(".parquet")) {
            return new ParquetReader();
        }
        throw new AnnotationException(file + ": unknown annotation format (expected the official .json or the"
                + " Hugging Face .parquet)");
    }

    /** Reads a file with the reader its extension names. */
    static Annotations readFile(Path file) {
        return forFile(file).read(file);
    }
}
