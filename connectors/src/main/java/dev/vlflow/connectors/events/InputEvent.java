package dev.vlflow.connectors.events;

/** One parsed input record: a video segment or a question. */
public sealed interface InputEvent permits InputEvent.Segment, InputEvent.Ask {

    String streamId();

    /** A segment of a stream's video. */
    record Segment(VideoSegment segment) implements InputEvent {
        @Override
        public String streamId() {
            return segment.getStreamId();
        }
    }

    /** A question about a stream. */
    record Ask(Question question) implements InputEvent {
        @Override
        public String streamId() {
            return question.getStreamId();
        }
    }
}
