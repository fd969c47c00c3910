package dev.vlflow.vision.decode;

import java.nio.ByteBuffer;
import java.util.OptionalLong;

/** A video in memory (an event's inline data), read in place. */
final class MemoryByteSource implements ByteSource {

    private final ByteBuffer data; // read-only view, position 0 = first byte of the video

    MemoryByteSource(ByteBuffer data) {
        this.data = data.slice();
    }

    @Override
    public int read(byte[] into, int offset, int length) {
        if (!data.hasRemaining()) {
            return -1;
        }
        int n = Math.min(length, data.remaining());
        data.get(into, offset, n);
        return n;
    }

    @Override
    public void seek(long position) throws Failure {
        if (position < 0 || position > data.limit()) {
            throw new Failure(dev.vlflow.vision.VideoException.Kind.IO, "seek to " + position + " outside "
                    + data.limit() + " bytes");
        }
        data.position((int) position);
    }

    @Override
    public long position() {
        return data.position();
    }

    @Override
    public OptionalLong size() {
        return OptionalLong.of(data.limit());
    }

    @Override
    public boolean seekable() {
        return true;
    }

    @Override
    public void close() {
    }
}
