package dev.vlflow.vision.decode;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_flush_buffers;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_seek_file;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;

import dev.vlflow.vision.VideoException;
import dev.vlflow.vision.VideoException.Kind;
import dev.vlflow.vision.VideoInfo;
import dev.vlflow.vision.VideoLimits;
import dev.vlflow.vision.VideoSource;
import java.util.OptionalLong;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * One open video stream: FFmpeg demuxer and decoder, and the frame it decoded last. It owns every native object it
 * allocates and frees them all in {@link #close()}, also when opening fails half way. Not thread-safe.
 *
 * <p>Decoding is pull-based: {@link #nextPacket()} reads one packet of the video stream (for scanning),
 * {@link #nextFrame()} decodes until one more frame comes out (in presentation order), {@link #rgb()} converts that
 * frame to RGB, {@link #seek(long)} jumps to a keyframe. Timestamps are integers in the stream's time base until
 * {@link Clock} turns them into microseconds.
 */
public final class FfmpegVideo implements AutoCloseable {

    /** Whether the stream is read whole (files, finite URLs) or as it comes (live streams). */
    public enum Mode { BOUNDED, LIVE }

    /** {@code AV_FRAME_FLAG_CORRUPT} (not in the Java bindings). */
    private static final int FRAME_FLAG_CORRUPT = 1;
    /** {@code AVFMT_FLAG_CUSTOM_IO}: the caller owns {@code pb} (not in the Java bindings). */
    private static final int FLAG_CUSTOM_IO = 0x0080;
    /** {@code AV_PKT_FLAG_DISCARD}: a packet the decoder must drop (before an edit list's start). */
    private static final int PACKET_FLAG_DISCARD = 4;

    private final String name;
    private final SourceGuard.Target target;
    private final VideoLimits limits;

    private CustomIo io; // for fetched and inline sources: FFmpeg reads through it
    private AVFormatContext format;
    private AVCodecContext codec;
    private AVPacket packet;
    private AVFrame frame;
    private RgbConverter converter;
    private StreamHeader header;

    private boolean inputEnded;
    private boolean flushSent;
    private boolean frameValid;
    private int lastReadError;
    private int rejectedPackets;
    private long framesDecoded;
    private long packetsRead;
    private String scanLog = "";

    private FfmpegVideo(String name, SourceGuard.Target target, VideoLimits limits) {
        this.name = name;
        this.target = target;
        this.limits = limits;
    }

    /** Opens a source: checks it against the limits, opens the container, finds the video stream and its decoder. */
    public static FfmpegVideo open(VideoSource source, VideoLimits limits, Mode mode) throws VideoException {
        SourceGuard.Target target = SourceGuard.check(source, limits);
        FfmpegLog.install();
        FfmpegLog.clear();
        FfmpegVideo video = new FfmpegVideo(source.describe(), target, limits);
        try {
            video.openInput(mode);
            video.header = StreamHeader.read(video.format, video.name, target.network(), limits);
            video.openDecoder();
            return video;
        } catch (VideoException | RuntimeException e) {
            video.close();
            throw e;
        }
    }

    private void openInput(Mode mode) throws VideoException {
        String url = ffmpegUrl();
        AVDictionary options = new AVDictionary(null);
        try {
            av_dict_set(options, "protocol_whitelist", protocolWhitelist(), 0);
            av_dict_set(options, "format_whitelist", target instanceof SourceGuard.Rtsp
                    ? SourceGuard.CONTAINERS + ",rtsp" : SourceGuard.CONTAINERS, 0);
            if (target instanceof SourceGuard.Rtsp) {
                String micros = Long.toString(limits.ioTimeout().toNanos() / 1000);
                av_dict_set(options, "timeout", micros, 0);
            }
            if (mode == Mode.LIVE) {
                // Start decoding after about a second of stream instead of FFmpeg's default five.
                av_dict_set(options, "analyzeduration", "1000000", 0);
                av_dict_set(options, "probesize", "1000000", 0);
            }
            AVFormatContext context = avformat_alloc_context();
            if (context == null || context.isNull()) {
                throw new OutOfMemoryError("avformat_alloc_context");
            }
            if (io != null) {
                context.pb(io.context());
                context.flags(context.flags() | FLAG_CUSTOM_IO);
            }
            int error = avformat_open_input(context, url, null, options); // frees the context when it fails
            if (error < 0) {
                throw OpenFailure.classify(name, target, error, FfmpegLog.drain(),
                        io == null ? java.util.Optional.empty() : io.failure());
            }
            format = context;
        } finally {
            av_dict_free(options);
        }
    }

    /** What FFmpeg is asked to open; for fetched and inline sources only a name (FFmpeg reads through {@link #io}). */
    private String ffmpegUrl() throws VideoException {
        if (target instanceof SourceGuard.LocalFile file) {
            return "file:" + file.real();
        }
        if (target instanceof SourceGuard.Rtsp rtsp) {
            return rtsp.uri().toASCIIString();
        }
        if (target instanceof SourceGuard.Fetched fetched) {
            try {
                io = CustomIo.over(HttpByteSource.open(fetched.uri(), limits));
            } catch (ByteSource.Failure e) {
                throw new VideoException(e.kind(), name, e.getMessage());
            } catch (java.io.IOException e) {
                throw new VideoException(Kind.IO, name, e.toString());
            }
            return fetched.uri().toASCIIString();
        }
        io = CustomIo.over(new MemoryByteSource(((SourceGuard.Inline) target).data()));
        return "inline";
    }

    private String protocolWhitelist() {
        if (target instanceof SourceGuard.LocalFile) {
            return "file";
        }
        if (target instanceof SourceGuard.Rtsp) {
            return "rtsp,rtp,udp,tcp";
        }
        return SourceGuard.NO_PROTOCOL;
    }

    private void openDecoder() throws VideoException {
        AVStream stream = format.streams(header.streamIndex());
        AVCodec decoder = avcodec_find_decoder(stream.codecpar().codec_id());
        codec = avcodec_alloc_context3(decoder);
        if (codec == null) {
            throw new OutOfMemoryError("avcodec_alloc_context3");
        }
        int error = avcodec_parameters_to_context(codec, stream.codecpar());
        if (error < 0) {
            throw new VideoException(Kind.CORRUPT, name, "codec parameters rejected: " + Errors.describe(error));
        }
        codec.pkt_timebase(stream.time_base());
        codec.thread_count(0);
        error = avcodec_open2(codec, decoder, (PointerPointer<?>) null);
        if (error < 0) {
            throw new VideoException(Kind.UNSUPPORTED_CODEC, name, "decoder '" + header.info().codec()
                    + "' failed to start: " + Errors.describe(error) + Errors.log(FfmpegLog.drain()));
        }
        packet = av_packet_alloc();
        frame = av_frame_alloc();
        if (packet == null || frame == null) {
            throw new OutOfMemoryError("av_packet_alloc/av_frame_alloc");
        }
        converter = new RgbConverter();
    }

    /** The stream as its header describes it. */
    public VideoInfo info() {
        return header.info();
    }

    /** Frames the header declares (0 when it does not say). */
    public long declaredFrames() {
        return header.declaredFrames();
    }

    /** The stream's time base. */
    public Clock clock() {
        return header.clock();
    }

    /** One tick per nominal frame (the stream's frame rate, or 25 fps when it does not say). */
    public Clock frameClock() {
        return header.frameClock();
    }

    /** The stream's first presentation timestamp as the container declares it (stream time base). */
    public OptionalLong declaredStart() {
        return header.declaredStart();
    }

    /** The name of the source, for messages. */
    public String name() {
        return name;
    }

    /** Whether the source comes over the network. */
    public boolean network() {
        return target.network();
    }

    /** The limits the source was opened with. */
    public VideoLimits limits() {
        return limits;
    }

    /** Keeps what FFmpeg logged while the stream was scanned (for later classification). */
    void rememberScanLog(String log) {
        scanLog = log;
    }

    /** What FFmpeg logged while the stream was scanned. */
    String scanLog() {
        return scanLog;
    }

    /** Packets of the video stream read since opening (seeking reads some twice). */
    public long packetsRead() {
        return packetsRead;
    }

    /** Frames decoded since opening (the cost of sampling: seeking keeps it near the frames selected). */
    public long framesDecoded() {
        return framesDecoded;
    }

    /** Packets the decoder refused as invalid since opening. */
    public int rejectedPackets() {
        return rejectedPackets;
    }

    /** The read error that ended the input early, or 0 for a clean end of file. */
    public int lastReadError() {
        return lastReadError;
    }

    /**
     * Reads the next packet of the video stream without decoding it (for scanning). The packet stays valid until the
     * next call; packets FFmpeg marks for discarding are skipped.
     *
     * @return false at the end of the input (see {@link #lastReadError()} for why it ended)
     */
    public boolean nextPacket() {
        while (true) {
            av_packet_unref(packet);
            int error = av_read_frame(format, packet);
            if (error < 0) {
                lastReadError = error == AVERROR_EOF ? 0 : error;
                return false;
            }
            if (packet.stream_index() == header.streamIndex() && (packet.flags() & PACKET_FLAG_DISCARD) == 0) {
                packetsRead++;
                return true;
            }
        }
    }

    /** The packet {@link #nextPacket()} returned last. */
    public AVPacket packet() {
        return packet;
    }

    /**
     * Decodes until the next frame comes out, in presentation order. Packets the decoder rejects are counted
     * ({@link #rejectedPackets()}), not fatal.
     *
     * @return false when the stream has ended and the decoder is drained
     */
    public boolean nextFrame() {
        frameValid = false;
        while (true) {
            int received = avcodec_receive_frame(codec, frame);
            if (received == 0) {
                frameValid = true;
                framesDecoded++;
                return true;
            }
            if (received == AVERROR_EOF) {
                return false;
            }
            if (received != Errors.EAGAIN) {
                rejectedPackets++;
                continue;
            }
            if (inputEnded) {
                if (flushSent) {
                    return false;
                }
                avcodec_send_packet(codec, null);
                flushSent = true;
                continue;
            }
            if (!nextPacket()) {
                inputEnded = true;
                continue;
            }
            int sent = avcodec_send_packet(codec, packet);
            av_packet_unref(packet);
            if (sent < 0) {
                rejectedPackets++;
            }
        }
    }

    /** Presentation timestamp of the current frame in the stream's time base ({@link #nextFrame()} first). */
    public long framePts() {
        requireFrame();
        long pts = frame.best_effort_timestamp();
        return pts != AV_NOPTS_VALUE ? pts : frame.pts();
    }

    /** Whether the decoder reports the current frame as damaged (concealed errors). */
    public boolean frameDamaged() {
        requireFrame();
        return (frame.flags() & FRAME_FLAG_CORRUPT) != 0 || frame.decode_error_flags() != 0;
    }

    /**
     * The current frame as packed RGB, {@code [height, width, 3]} bytes. The returned {@link Mat} is a header over
     * this decoder's buffer: valid until the next {@link #nextFrame()}; close it when done (it frees only the header).
     */
    public Mat rgb() throws VideoException {
        requireFrame();
        StreamHeader.checkResolution(frame.width(), frame.height(), name, limits);
        return converter.convert(frame, name);
    }

    /**
     * Jumps to the keyframe at or before {@code timestamp} (stream time base) and resets the decoder.
     *
     * @return false when the demuxer cannot seek
     */
    public boolean seek(long timestamp) {
        int error = avformat_seek_file(format, header.streamIndex(), Long.MIN_VALUE, timestamp, timestamp, 0);
        avcodec_flush_buffers(codec);
        inputEnded = false;
        flushSent = false;
        frameValid = false;
        lastReadError = 0;
        return error >= 0;
    }

    private void requireFrame() {
        if (!frameValid) {
            throw new IllegalStateException("no current frame");
        }
    }

    @Override
    public void close() {
        if (converter != null) {
            converter.close();
            converter = null;
        }
        if (frame != null) {
            av_frame_free(frame);
            frame = null;
        }
        if (packet != null) {
            av_packet_free(packet);
            packet = null;
        }
        if (codec != null) {
            avcodec_free_context(codec);
            codec = null;
        }
        if (format != null) {
            avformat_close_input(format);
            format = null;
        }
        if (io != null) {
            io.close();
            io = null;
        }
    }
}
