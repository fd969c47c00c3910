package dev.vlflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlflow.engine.model.ModelConfig;
import dev.vlflow.engine.model.make.ModelMaker;
import dev.vlflow.engine.model.make.ModelPreset;
import dev.vlflow.pipeline.dataset.SyntheticVideoMme;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vlflow attention-stats} end to end on the tiny-random model and a synthetic video: 32 frames, one JSON
 * entry per decoder layer, every fraction in (0, 1], the video slots counted as frames x tokensPerFrame + 1.
 */
class AttentionStatsCommandTest {

    @TempDir
    Path dir;

    @Test
    void reportsOneEntryPerDecoderLayer() throws Exception {
        ModelMaker.Made made = ModelMaker.make(ModelMaker.Request.of(ModelPreset.TINY_RANDOM, dir.resolve("model")));
        SyntheticVideoMme.Written data = SyntheticVideoMme.write(dir.resolve("data"), 1, 5,
                new SyntheticVideoMme.Format(64, 64, 8));
        Path video = data.dir().resolve("video").resolve("001.mp4");
        ModelConfig config = made.config();

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        int code;
        try (PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            code = Main.run("attention-stats", "--model", made.directory().toString(), "--video", video.toString(),
                    "--frames", "32", "--json");
        } finally {
            System.setOut(saved);
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, out);
        List<String> lines = out.lines().toList();
        JsonNode json = new ObjectMapper().readTree(lines.get(lines.size() - 1));

        int visual = 32 * config.vision().tokensPerFrame() + 1;
        assertEquals(visual, json.get("visualTokens").asInt());
        assertEquals(64, json.get("probes").asInt());
        JsonNode layers = json.get("layers");
        assertEquals(config.text().numHiddenLayers(), layers.size());
        for (int i = 0; i < layers.size(); i++) {
            JsonNode l = layers.get(i);
            assertEquals(i, l.get("layer").asInt());
            assertEquals(visual, l.get("visualTokens").asInt());
            double fraction = l.get("fraction").asDouble();
            assertTrue(fraction > 0 && fraction <= 1, l.toString());
            assertEquals((double) l.get("tokensForTau").asInt() / visual, fraction, 1e-12);
            double share = l.get("visualShare").asDouble();
            assertTrue(share > 0 && share <= 1 + 1e-6, l.toString());
        }
        assertTrue(out.contains("tokens for 97.5%"), out);
    }
}
