package dev.vlflow.operators.frames;

import dev.vlflow.conf.InputSpec;
import dev.vlflow.connectors.events.ErrorKind;
import dev.vlflow.vision.VideoException;
import dev.vlflow.vision.VideoLimits;
import java.nio.file.Path;
import java.util.HashSet;

/** The one place a job's {@link InputSpec} becomes the {@link VideoLimits} every video of the job is opened with. */
public final class InputLimits {

    private InputLimits() {
    }

    /**
     * @throws IllegalArgumentException a scheme that cannot be allowed, or a limit out of range
     */
    public static VideoLimits videoLimits(InputSpec input) {
        return VideoLimits.defaults()
                .withFileRoots(input.fileRoots().stream().map(Path::of).toArray(Path[]::new))
                .withUrls(new HashSet<>(input.urlSchemes()), input.urlHosts())
                .withMaxResolution(input.maxFrameWidth(), input.maxFrameHeight())
                .withMaxDuration(input.maxDuration())
                .withIoTimeout(input.ioTimeout())
                .withMaxInlineBytes(input.maxInlineBytes());
    }

    /** The dead-letter kind of a video that could not be read: refused sources, caps, and unreadable videos. */
    public static ErrorKind deadLetterKind(VideoException e) {
        return switch (e.kind()) {
            case FORBIDDEN -> ErrorKind.FORBIDDEN;
            case TOO_LARGE, RESOLUTION_TOO_LARGE, TOO_LONG, TOO_MANY_FRAMES -> ErrorKind.OVER_LIMIT;
            default -> ErrorKind.UNREADABLE_VIDEO; // NOT_FOUND included: a file outside the roots looks missing
        };
    }
}
