package dev.vlflow.pipeline.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vlflow.connectors.videomme.DurationClass;
import java.util.Optional;

/**
 * A {@link Prediction} as one JSON line. Version 1:
 * <pre>
 * {"v":1,"question_id":"001-1","video_id":"001","duration":"short","domain":"...","sub_category":"...",
 *  "task_type":"...","answer":"A","response":"A.","extracted":"A","correct":true,
 *  "frames":32,"context_tokens":6290,"prompt_tokens":80,"generated_tokens":2,"kv_bytes":..., "decode_ms":..,
 *  "encode_ms":..,"prefix_ms":..,"prefix_shared":true,"answer_ms":..,"first_token_ms":..}
 * </pre>
 * {@code extracted} is {@code ""} when the reply is unparseable.
 */
public final class PredictionJson {

    static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private PredictionJson() {
    }

    public static String toLine(Prediction p) {
        ObjectNode o = JSON.createObjectNode();
        o.put("v", VERSION);
        o.put("question_id", p.questionId());
        o.put("video_id", p.videoId());
        o.put("duration", p.duration().label());
        o.put("domain", p.domain());
        o.put("sub_category", p.subCategory());
        o.put("task_type", p.taskType());
        o.put("answer", p.answer());
        o.put("response", p.response());
        o.put("extracted", p.extracted().orElse(""));
        o.put("correct", p.correct());
        QuestionCost c = p.cost();
        o.put("frames", c.frames());
        o.put("context_tokens", c.contextTokens());
        o.put("prompt_tokens", c.promptTokens());
        o.put("generated_tokens", c.generatedTokens());
        o.put("kv_bytes", c.kvBytes());
        o.put("decode_ms", round(c.decodeMillis()));
        o.put("encode_ms", round(c.encodeMillis()));
        o.put("prefix_ms", round(c.prefixMillis()));
        o.put("prefix_shared", c.prefixShared());
        o.put("answer_ms", round(c.answerMillis()));
        o.put("first_token_ms", round(c.firstTokenMillis()));
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses a line; throws {@link IllegalArgumentException} for a malformed or newer-version line. */
    public static Prediction fromLine(String line) {
        JsonNode o;
        try {
            o = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON line: " + e.getOriginalMessage(), e);
        }
        if (o == null || !o.isObject() || o.path("v").asInt(-1) != VERSION) {
            throw new IllegalArgumentException("not a version-" + VERSION + " prediction line");
        }
        String extracted = text(o, "extracted");
        QuestionCost cost = new QuestionCost(o.path("frames").asInt(), o.path("context_tokens").asInt(),
                o.path("prompt_tokens").asInt(), o.path("generated_tokens").asInt(), o.path("kv_bytes").asLong(),
                o.path("decode_ms").asDouble(), o.path("encode_ms").asDouble(), o.path("prefix_ms").asDouble(),
                o.path("prefix_shared").asBoolean(), o.path("answer_ms").asDouble(),
                o.path("first_token_ms").asDouble());
        return new Prediction(text(o, "question_id"), text(o, "video_id"),
                DurationClass.fromLabel(text(o, "duration")), text(o, "domain"), text(o, "sub_category"),
                text(o, "task_type"), text(o, "answer"), text(o, "response"),
                extracted.isEmpty() ? Optional.empty() : Optional.of(extracted), cost);
    }

    private static String text(JsonNode o, String field) {
        JsonNode f = o.get(field);
        if (f == null || f.isNull()) {
            throw new IllegalArgumentException("prediction line without '" + field + "'");
        }
        return f.asText();
    }

    private static double round(double ms) {
        return Math.round(ms * 1000) / 1000.0;
    }
}
