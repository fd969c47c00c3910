package dev.vlflow.connectors.source;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Reads one split's lines and knows its byte offset: the mutable state of a {@link JsonlFileSplit}. A line longer
 * than {@code maxLineBytes} is read to its end without being kept (memory stays bounded) and returned as an
 * {@link SourceLine#overLimit() over-limit} line.
 */
final class LineCursor implements AutoCloseable {

    private final String path;
    private final int maxLineBytes;
    private final InputStream in;
    private long offset;
    private long lines;

    LineCursor(JsonlFileSplit split, int maxLineBytes) throws IOException {
        this.path = split.path();
        this.maxLineBytes = maxLineBytes;
        FileChannel channel = FileChannel.open(Path.of(split.path()), StandardOpenOption.READ);
        channel.position(split.offset());
        this.in = new BufferedInputStream(Channels.newInputStream(channel), 1 << 16);
        this.offset = split.offset();
        this.lines = split.linesRead();
    }

    /** The next line (terminator removed), or empty at the end of the file. */
    Optional<SourceLine> next() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        boolean any = false;
        long length = 0;
        while ((b = in.read()) != -1) {
            any = true;
            offset++;
            if (b == '\n') {
                break;
            }
            length++;
            if (length <= maxLineBytes) {
                line.write(b);
            } else if (line.size() > 0) {
                line = new ByteArrayOutputStream(); // over the limit: drop what was kept, count the rest
            }
        }
        if (!any) {
            return Optional.empty();
        }
        lines++;
        if (length > maxLineBytes) {
            return Optional.of(new SourceLine(path, lines, "", length));
        }
        String text = line.toString(StandardCharsets.UTF_8);
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        return Optional.of(new SourceLine(path, lines, text));
    }

    /** The split that resumes after the lines read so far. */
    JsonlFileSplit position() {
        return new JsonlFileSplit(path, offset, lines);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
