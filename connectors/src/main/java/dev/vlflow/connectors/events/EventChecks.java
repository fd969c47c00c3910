package dev.vlflow.connectors.events;

/**
 * The rules an input event must follow beyond its Avro schema (a schema cannot say "non-empty" or "positive"), for
 * inputs that arrive already typed, e.g. Avro records from Kafka. The JSONL reader applies the same rules while it
 * parses ({@link EventJson}).
 */
public final class EventChecks {

    private EventChecks() {
    }

    /** @return {@code segment}, when it is valid */
    public static VideoSegment check(VideoSegment segment) throws MalformedEventException {
        nonBlank(segment.getStreamId(), "streamId");
        if (segment.getSequence() < 0) {
            throw new MalformedEventException("'sequence' must be >= 0, got " + segment.getSequence());
        }
        if ((segment.getUri() == null) == (segment.getData() == null)) {
            throw new MalformedEventException("a segment needs exactly one of 'uri' and 'data'");
        }
        if (segment.getUri() != null) {
            nonBlank(segment.getUri(), "uri");
        } else if (!segment.getData().hasRemaining()) {
            throw new MalformedEventException("'data' must not be empty");
        }
        double start = segment.getStartSeconds();
        if (!(start >= 0) || Double.isInfinite(start)) {
            throw new MalformedEventException("'startSeconds' must be a finite number >= 0, got " + start);
        }
        Double end = segment.getEndSeconds();
        if (end != null && !(end > start)) {
            throw new MalformedEventException("'endSeconds' must be after 'startSeconds', got " + start + ".." + end);
        }
        if (segment.getFrames() != null && segment.getFrames() <= 0) {
            throw new MalformedEventException("'frames' must be positive, got " + segment.getFrames());
        }
        return segment;
    }

    /** @return {@code question}, when it is valid */
    public static Question check(Question question) throws MalformedEventException {
        nonBlank(question.getStreamId(), "streamId");
        nonBlank(question.getQuestionId(), "questionId");
        nonBlank(question.getText(), "text");
        if (question.getAfterSegment() != null && question.getAfterSegment() < 0) {
            throw new MalformedEventException("'afterSegment' must be >= 0, got " + question.getAfterSegment());
        }
        if (question.getMaxNewTokens() != null && question.getMaxNewTokens() <= 0) {
            throw new MalformedEventException("'maxNewTokens' must be positive, got " + question.getMaxNewTokens());
        }
        SamplingSpec s = question.getSampling();
        if (s != null && (!(s.getTemperature() > 0) || Double.isInfinite(s.getTemperature())
                || !(s.getTopP() > 0 && s.getTopP() <= 1))) {
            throw new MalformedEventException("sampling needs a finite temperature > 0 and topP in (0, 1], got "
                    + s.getTemperature() + " and " + s.getTopP());
        }
        return question;
    }

    private static void nonBlank(String value, String name) throws MalformedEventException {
        if (value.isBlank()) {
            throw new MalformedEventException("'" + name + "' must not be empty");
        }
    }
}
