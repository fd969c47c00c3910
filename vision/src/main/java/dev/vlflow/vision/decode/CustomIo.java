package dev.vlflow.vision.decode;

import static org.bytedeco.ffmpeg.global.avformat.AVIO_SEEKABLE_NORMAL;
import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_FORCE;
import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_SIZE;
import static org.bytedeco.ffmpeg.global.avformat.avio_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avio_context_free;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.av_free;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.Read_packet_Pointer_BytePointer_int;
import org.bytedeco.ffmpeg.avformat.Seek_Pointer_long_int;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * An FFmpeg {@code AVIOContext} over a {@link ByteSource}: FFmpeg's demuxer pulls bytes through the read and seek
 * callbacks below and opens nothing itself. Owns the context and its buffer; {@link #close()} frees both (after the
 * format context that uses it is closed) and closes the source.
 *
 * <p>The native side calls back through function pointers made once per process ({@link #READ}, {@link #SEEK}: a
 * JavaCPP callback object per video would allocate a native thunk each); the opaque pointer FFmpeg hands back
 * identifies the open context in {@link #OPEN}, the one mutable static this needs.
 */
final class CustomIo implements AutoCloseable {

    private static final int BUFFER_BYTES = 64 * 1024;
    /** {@code AVERROR(EIO)}. */
    private static final int EIO = -5;
    private static final Map<Long, CustomIo> OPEN = new ConcurrentHashMap<>();
    private static final Read READ = new Read();
    private static final Seek SEEK = new Seek();

    private final ByteSource source;
    private final LongPointer opaque = new LongPointer(1); // its address names this context
    private byte[] scratch = new byte[BUFFER_BYTES];
    private AVIOContext context;
    private IOException failure;

    private CustomIo(ByteSource source) {
        this.source = source;
    }

    /** A context over {@code source}; it takes the source over (closed with this). */
    static CustomIo over(ByteSource source) {
        CustomIo io = new CustomIo(source);
        BytePointer buffer = new BytePointer(av_malloc(BUFFER_BYTES)).capacity(BUFFER_BYTES);
        if (buffer.isNull()) {
            throw new OutOfMemoryError("av_malloc");
        }
        io.context = avio_alloc_context(buffer, BUFFER_BYTES, 0, io.opaque, READ, null, SEEK);
        if (io.context == null || io.context.isNull()) {
            av_free(buffer);
            throw new OutOfMemoryError("avio_alloc_context");
        }
        io.context.seekable(source.seekable() ? AVIO_SEEKABLE_NORMAL : 0);
        OPEN.put(io.opaque.address(), io);
        return io;
    }

    AVIOContext context() {
        return context;
    }

    /** The first failure of the source since opening (a refused redirect, a timeout), if any. */
    Optional<IOException> failure() {
        return Optional.ofNullable(failure);
    }

    private int read(BytePointer into, int length) {
        try {
            if (scratch.length < length) {
                scratch = new byte[length];
            }
            int n = source.read(scratch, 0, length);
            if (n < 0) {
                return AVERROR_EOF;
            }
            into.position(0).put(scratch, 0, n);
            return n;
        } catch (IOException | RuntimeException e) {
            remember(e);
            return EIO;
        }
    }

    private long seek(long offset, int whence) {
        try {
            int how = whence & ~AVSEEK_FORCE;
            if (how == AVSEEK_SIZE) {
                return source.size().orElse(-1);
            }
            long to = switch (how) {
                case 0 -> offset; // SEEK_SET
                case 1 -> source.position() + offset; // SEEK_CUR
                case 2 -> source.size().orElseThrow(() -> new IOException("size unknown")) + offset; // SEEK_END
                default -> throw new IOException("whence " + whence);
            };
            source.seek(to);
            return to;
        } catch (IOException | RuntimeException e) {
            remember(e);
            return EIO;
        }
    }

    private void remember(Exception e) {
        if (failure == null) {
            failure = e instanceof IOException io ? io : new IOException(e);
        }
    }

    @Override
    public void close() {
        OPEN.remove(opaque.address());
        if (context != null) {
            BytePointer buffer = context.buffer(); // FFmpeg may have replaced the buffer given at allocation
            if (buffer != null && !buffer.isNull()) {
                av_free(buffer);
                context.buffer(null);
            }
            avio_context_free(context);
            context = null;
        }
        try {
            source.close();
        } catch (IOException e) {
            // closing a connection that failed already
        }
        opaque.close();
    }

    private static final class Read extends Read_packet_Pointer_BytePointer_int {
        @Override
        public int call(Pointer opaque, BytePointer buffer, int size) {
            CustomIo io = OPEN.get(opaque.address());
            return io == null ? EIO : io.read(buffer, size);
        }
    }

    private static final class Seek extends Seek_Pointer_long_int {
        @Override
        public long call(Pointer opaque, long offset, int whence) {
            CustomIo io = OPEN.get(opaque.address());
            return io == null ? EIO : io.seek(offset, whence);
        }
    }
}
