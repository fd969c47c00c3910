package dev.vlflow.pipeline.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vlflow.connectors.videomme.AnnotationFormat;
import dev.vlflow.connectors.videomme.AnnotationWriter;
import dev.vlflow.connectors.videomme.Annotations;
import dev.vlflow.connectors.videomme.OfficialJsonReader;
import dev.vlflow.connectors.videomme.VideoMmeVideo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What flows through the evaluation job, as JSON strings (Flink's String serializer, no Kryo): a video in (its
 * official-JSON entry), a {@link VideoOutcome} out
 * ({@code {"video_id":..,"prefix_prefills":n,"predictions":[<PredictionJson line>...]}} or
 * {@code {"video_id":..,"failed":"why"}}).
 */
final class FlinkElements {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FlinkElements() {
    }

    static String video(VideoMmeVideo v) {
        return write(AnnotationWriter.officialTree(new Annotations(AnnotationFormat.OFFICIAL_JSON, List.of(v)),
                Map.of()));
    }

    static VideoMmeVideo video(String json) {
        return OfficialJsonReader.parse(read(json), "job element").videos().get(0);
    }

    static String outcome(VideoOutcome o) {
        ObjectNode n = JSON.createObjectNode();
        n.put("video_id", o.videoId());
        if (o instanceof VideoOutcome.Answered a) {
            n.put("prefix_prefills", a.prefixPrefills());
            n.put("start_ms", a.startMillis());
            n.put("end_ms", a.endMillis());
            var lines = n.putArray("predictions");
            a.predictions().forEach(p -> lines.add(PredictionJson.toLine(p)));
        } else if (o instanceof VideoOutcome.Failed f) {
            n.put("failed", f.reason());
        }
        return write(n);
    }

    static VideoOutcome outcome(String json) {
        JsonNode n = read(json);
        String id = n.path("video_id").asText();
        if (n.has("failed")) {
            return new VideoOutcome.Failed(id, n.path("failed").asText());
        }
        List<Prediction> predictions = new ArrayList<>();
        n.path("predictions").forEach(l -> predictions.add(PredictionJson.fromLine(l.asText())));
        return new VideoOutcome.Answered(id, predictions, n.path("prefix_prefills").asInt(),
                n.path("start_ms").asLong(), n.path("end_ms").asLong());
    }

    private static String write(JsonNode n) {
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed job element: " + e.getOriginalMessage(), e);
        }
    }
}
