package dev.vlflow.connectors.source;

import dev.vlflow.connectors.events.DeadLetters;
import dev.vlflow.connectors.events.ErrorKind;
import dev.vlflow.connectors.events.EventJson;
import dev.vlflow.connectors.events.EventTypes;
import dev.vlflow.connectors.events.InputEvent;
import dev.vlflow.connectors.events.MalformedEventException;
import dev.vlflow.connectors.events.Question;
import dev.vlflow.connectors.events.VideoSegment;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Turns JSONL lines into events: segments on the main output, questions on {@link #QUESTIONS}, malformed lines on
 * {@link DeadLetters#TAG}. A segment's relative {@code uri} is resolved against its JSONL file's directory.
 */
public final class ParseEvents extends ProcessFunction<SourceLine, VideoSegment> {

    private static final long serialVersionUID = 1L;

    /** Questions, in input order. */
    public static final OutputTag<Question> QUESTIONS = new OutputTag<>("vlflow.questions", EventTypes.QUESTION);

    /** The start of a URL or FFmpeg protocol (as {@code VideoSource.parse} reads it): a name, options, then ':'. */
    private static final java.util.regex.Pattern SCHEME =
            java.util.regex.Pattern.compile("[A-Za-z][A-Za-z0-9+.\\-]+(,[^:/]*)?:");

    private final String stage;

    /** @param stage hierarchical operator name reported in dead letters, e.g. {@code /job/parse} */
    public ParseEvents(String stage) {
        this.stage = stage;
    }

    @Override
    public void processElement(SourceLine line, Context ctx, Collector<VideoSegment> out) {
        if (line.overLimit()) {
            ctx.output(DeadLetters.TAG, DeadLetters.error(ErrorKind.OVER_LIMIT, stage, Optional.empty(),
                    "record of " + line.overLimitBytes() + " bytes is over the limit on record size "
                    + "(vlflow.input.max-record-bytes); skipped", line.reference()));
            return;
        }
        InputEvent event;
        try {
            event = EventJson.parse(line.text());
        } catch (MalformedEventException e) {
            ctx.output(DeadLetters.TAG, DeadLetters.error(ErrorKind.MALFORMED_RECORD, stage, Optional.empty(),
                    e.getMessage(), line.reference()));
            return;
        }
        if (event instanceof InputEvent.Segment s) {
            VideoSegment segment = s.segment();
            if (segment.getUri() != null) {
                segment.setUri(resolve(segment.getUri(), Path.of(line.file()).getParent()));
            }
            out.collect(segment);
        } else if (event instanceof InputEvent.Ask a) {
            ctx.output(QUESTIONS, a.question());
        }
    }

    /**
     * A relative file path becomes absolute against {@code base}; absolute paths and anything that starts like a URL
     * scheme or FFmpeg protocol ({@code http:}, {@code file:}, {@code concat:}, {@code subfile,,...:}) are kept, so
     * the video limits judge them as what they say they are.
     */
    static String resolve(String uri, Path base) {
        if (SCHEME.matcher(uri).lookingAt()) {
            return uri;
        }
        Path p = Path.of(uri);
        if (p.isAbsolute() || base == null) {
            return uri;
        }
        return base.resolve(p).normalize().toString();
    }
}
