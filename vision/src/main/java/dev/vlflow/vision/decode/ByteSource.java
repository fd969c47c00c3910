package dev.vlflow.vision.decode;

import dev.vlflow.vision.VideoException;
import java.io.Closeable;
import java.io.IOException;
import java.util.OptionalLong;

/**
 * Bytes of a video that FFmpeg reads through {@link CustomIo} instead of opening anything itself: a fetched URL
 * ({@link HttpByteSource}) or memory ({@link MemoryByteSource}). Used from one thread.
 */
interface ByteSource extends Closeable {

    /** Reads up to {@code length} bytes; -1 at the end. Blocks until at least one byte is there. */
    int read(byte[] into, int offset, int length) throws IOException;

    /** Moves to an absolute byte position. */
    void seek(long position) throws IOException;

    /** The current byte position. */
    long position();

    /** Total bytes, when known. */
    OptionalLong size();

    /** Whether {@link #seek} can go anywhere (else FFmpeg treats the source as a stream). */
    boolean seekable();

    /**
     * A failure with the kind a caller reports (a redirect to a host that is not allowed: {@code FORBIDDEN}; HTTP
     * 404: {@code NOT_FOUND}). Thrown from {@link #read} and {@link #seek}; {@link CustomIo} keeps it for the open.
     */
    final class Failure extends IOException {
        private static final long serialVersionUID = 1L;
        private final VideoException.Kind kind;

        Failure(VideoException.Kind kind, String message) {
            super(message);
            this.kind = kind;
        }

        VideoException.Kind kind() {
            return kind;
        }
    }
}
