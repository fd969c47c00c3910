package dev.vlflow.connectors.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The JSON lines format of the local sources and sinks: one event per line, with a {@code type} field.
 *
 * <pre>
 * {"type":"segment","stream":"cam-1","sequence":0,"uri":"video.mp4","start":0.0,"end":2.0,"frames":4}
 * {"type":"question","stream":"cam-1","id":"q1","text":"What colour is the square?","after":1,"max_tokens":16}
 * </pre>
 * Segment fields: {@code stream}, {@code sequence} (required); {@code uri} or {@code data} (base64), {@code start},
 * {@code end}, {@code frames}. Question fields: {@code stream}, {@code id}, {@code text} (required); {@code options},
 * {@code after}, {@code max_tokens}, {@code sampling} ({@code temperature}, {@code top_p}, {@code seed}). Unknown
 * fields are rejected so that a misspelt field is reported, not silently ignored. Outputs are written with
 * {@code type} {@code token}, {@code answer} or {@code error}.
 */
public final class EventJson {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> SEGMENT_FIELDS =
            Set.of("type", "stream", "sequence", "uri", "data", "start", "end", "frames");
    private static final Set<String> QUESTION_FIELDS =
            Set.of("type", "stream", "id", "text", "options", "after", "max_tokens", "sampling");
    private static final Set<String> SAMPLING_FIELDS = Set.of("temperature", "top_p", "seed");

    private EventJson() {
    }

    /** Parses one input line. */
    public static InputEvent parse(String line) throws MalformedEventException {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new MalformedEventException("not a JSON object");
        }
        String type = text(node, "type");
        return switch (type) {
            case "segment" -> new InputEvent.Segment(segment(node));
            case "question" -> new InputEvent.Ask(question(node));
            default -> throw new MalformedEventException("unknown type '" + type + "' (segment or question)");
        };
    }

    private static VideoSegment segment(JsonNode node) throws MalformedEventException {
        checkFields(node, SEGMENT_FIELDS);
        VideoSegment.Builder b = VideoSegment.newBuilder()
                .setStreamId(nonEmpty(node, "stream"))
                .setSequence(nonNegative(node, "sequence"));
        boolean hasUri = node.hasNonNull("uri");
        boolean hasData = node.hasNonNull("data");
        if (hasUri == hasData) {
            throw new MalformedEventException("a segment needs exactly one of 'uri' and 'data'");
        }
        if (hasUri) {
            b.setUri(nonEmpty(node, "uri"));
        } else {
            try {
                b.setData(ByteBuffer.wrap(Base64.getDecoder().decode(text(node, "data"))));
            } catch (IllegalArgumentException e) {
                throw new MalformedEventException("'data' is not base64: " + e.getMessage());
            }
        }
        double start = node.has("start") ? number(node, "start") : 0.0;
        if (start < 0) {
            throw new MalformedEventException("'start' must be >= 0, got " + start);
        }
        b.setStartSeconds(start);
        if (node.hasNonNull("end")) {
            double end = number(node, "end");
            if (!(end > start)) {
                throw new MalformedEventException("'end' must be after 'start', got " + start + ".." + end);
            }
            b.setEndSeconds(end);
        }
        if (node.hasNonNull("frames")) {
            b.setFrames(positiveInt(node, "frames"));
        }
        return b.build();
    }

    private static Question question(JsonNode node) throws MalformedEventException {
        checkFields(node, QUESTION_FIELDS);
        Question.Builder b = Question.newBuilder()
                .setStreamId(nonEmpty(node, "stream"))
                .setQuestionId(nonEmpty(node, "id"))
                .setText(nonEmpty(node, "text"))
                .setOptions(options(node));
        if (node.hasNonNull("after")) {
            b.setAfterSegment(nonNegative(node, "after"));
        }
        if (node.hasNonNull("max_tokens")) {
            b.setMaxNewTokens(positiveInt(node, "max_tokens"));
        }
        if (node.hasNonNull("sampling")) {
            JsonNode s = node.get("sampling");
            if (!s.isObject()) {
                throw new MalformedEventException("'sampling' must be an object");
            }
            checkFields(s, SAMPLING_FIELDS);
            double temperature = number(s, "temperature");
            double topP = s.has("top_p") ? number(s, "top_p") : 1.0;
            if (!(temperature > 0) || !(topP > 0 && topP <= 1)) {
                throw new MalformedEventException("sampling needs temperature > 0 and top_p in (0, 1]");
            }
            b.setSampling(new SamplingSpec(temperature, topP, s.has("seed") ? integer(s, "seed") : 0L));
        }
        return b.build();
    }

    private static List<String> options(JsonNode node) throws MalformedEventException {
        List<String> out = new ArrayList<>();
        if (!node.hasNonNull("options")) {
            return out;
        }
        JsonNode options = node.get("options");
        if (!options.isArray()) {
            throw new MalformedEventException("'options' must be an array of strings");
        }
        for (JsonNode o : options) {
            if (!o.isTextual()) {
                throw new MalformedEventException("'options' must be an array of strings");
            }
            out.add(o.asText());
        }
        return out;
    }

    /** The input line of a segment (what {@link #parse} reads back). */
    public static String write(VideoSegment s) {
        ObjectNode o = JSON.createObjectNode();
        o.put("type", "segment").put("stream", s.getStreamId()).put("sequence", s.getSequence());
        if (s.getUri() != null) {
            o.put("uri", s.getUri());
        } else {
            ByteBuffer data = s.getData().duplicate();
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            o.put("data", Base64.getEncoder().encodeToString(bytes));
        }
        o.put("start", s.getStartSeconds());
        if (s.getEndSeconds() != null) {
            o.put("end", s.getEndSeconds());
        }
        if (s.getFrames() != null) {
            o.put("frames", s.getFrames());
        }
        return o.toString();
    }

    /** The input line of a question (what {@link #parse} reads back). */
    public static String write(Question q) {
        ObjectNode o = JSON.createObjectNode();
        o.put("type", "question").put("stream", q.getStreamId()).put("id", q.getQuestionId()).put("text", q.getText());
        if (!q.getOptions().isEmpty()) {
            ArrayNode options = o.putArray("options");
            q.getOptions().forEach(options::add);
        }
        if (q.getAfterSegment() != null) {
            o.put("after", q.getAfterSegment());
        }
        if (q.getMaxNewTokens() != null) {
            o.put("max_tokens", q.getMaxNewTokens());
        }
        if (q.getSampling() != null) {
            SamplingSpec s = q.getSampling();
            o.putObject("sampling").put("temperature", s.getTemperature()).put("top_p", s.getTopP())
                    .put("seed", s.getSeed());
        }
        return o.toString();
    }

    /** One output line for a token or an answer. */
    public static String write(AnswerEvent event) {
        return event.getEvent() instanceof AnswerToken t ? write(t) : write((Answer) event.getEvent());
    }

    public static String write(AnswerToken t) {
        ObjectNode o = JSON.createObjectNode();
        o.put("type", "token").put("stream", t.getStreamId()).put("question", t.getQuestionId())
                .put("index", t.getIndex()).put("token_id", t.getTokenId()).put("text", t.getText());
        return o.toString();
    }

    public static String write(Answer a) {
        ObjectNode o = JSON.createObjectNode();
        o.put("type", "answer").put("stream", a.getStreamId()).put("question", a.getQuestionId())
                .put("text", a.getText());
        ArrayNode ids = o.putArray("token_ids");
        a.getTokenIds().forEach(ids::add);
        o.put("stop", a.getStopReason().name()).put("segments", a.getSegments()).put("frames", a.getFrames());
        AnswerStatistics s = a.getStatistics();
        o.putObject("statistics")
                .put("tokens", s.getTokens())
                .put("ttft_ms", s.getTimeToFirstTokenMillis())
                .put("total_ms", s.getTotalMillis())
                .put("prefill_tokens", s.getPrefillTokens())
                .put("context_tokens", s.getContextTokens())
                .put("positions", s.getPositions())
                .put("kv_bytes", s.getKvBytes())
                .put("kept_ratio", s.getKeptRatio())
                .put("evicted_tokens", s.getEvictedTokens())
                .put("drafted_tokens", s.getDraftedTokens())
                .put("accepted_tokens", s.getAcceptedTokens())
                .put("verify_steps", s.getVerifySteps())
                .put("mean_accepted_length", s.getMeanAcceptedLength())
                .put("decoding", s.getDecoding().toString())
                .put("lossy", s.getLossy());
        return o.toString();
    }

    public static String write(PipelineError e) {
        ObjectNode o = JSON.createObjectNode();
        o.put("type", "error").put("kind", e.getKind().name()).put("stage", e.getStage())
                .put("stream", e.getStreamId()).put("reason", e.getReason()).put("input", e.getInput())
                .put("time_ms", e.getTimestampMillis());
        return o.toString();
    }

    private static void checkFields(JsonNode node, Set<String> allowed) throws MalformedEventException {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                throw new MalformedEventException("unknown field '" + name + "' (allowed: " + allowed + ")");
            }
        }
    }

    private static JsonNode field(JsonNode node, String name) throws MalformedEventException {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            throw new MalformedEventException("missing field '" + name + "'");
        }
        return v;
    }

    private static String text(JsonNode node, String name) throws MalformedEventException {
        JsonNode v = field(node, name);
        if (!v.isTextual()) {
            throw new MalformedEventException("'" + name + "' must be a string");
        }
        return v.asText();
    }

    private static String nonEmpty(JsonNode node, String name) throws MalformedEventException {
        String s = text(node, name);
        if (s.isBlank()) {
            throw new MalformedEventException("'" + name + "' must not be empty");
        }
        return s;
    }

    private static double number(JsonNode node, String name) throws MalformedEventException {
        JsonNode v = field(node, name);
        if (!v.isNumber()) {
            throw new MalformedEventException("'" + name + "' must be a number");
        }
        return v.asDouble();
    }

    private static long integer(JsonNode node, String name) throws MalformedEventException {
        JsonNode v = field(node, name);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new MalformedEventException("'" + name + "' must be an integer");
        }
        return v.asLong();
    }

    private static long nonNegative(JsonNode node, String name) throws MalformedEventException {
        long v = integer(node, name);
        if (v < 0) {
            throw new MalformedEventException("'" + name + "' must be >= 0, got " + v);
        }
        return v;
    }

    private static int positiveInt(JsonNode node, String name) throws MalformedEventException {
        long v = integer(node, name);
        if (v <= 0 || v > Integer.MAX_VALUE) {
            throw new MalformedEventException("'" + name + "' must be a positive int, got " + v);
        }
        return (int) v;
    }
}
