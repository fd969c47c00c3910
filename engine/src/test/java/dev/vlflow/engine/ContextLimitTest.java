package dev.vlflow.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vlflow.engine.model.make.ModelMaker;
import dev.vlflow.engine.model.make.ModelPreset;
import dev.vlflow.engine.onnx.ExecutionProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Positions never pass the model's {@code max_position_embeddings}: frames are refused, answers are cut short. */
class ContextLimitTest {

    private static final int ROOM = 40;

    @TempDir
    Path temp;

    @Test
    void framesAndAnswersStayWithinTheModelsPositions() throws IOException {
        Path dir = ModelMaker.make(ModelMaker.Request.of(ModelPreset.TINY_RANDOM, temp.resolve("tiny"))).directory();
        EngineOptions oneThread = EngineOptions.defaults().withProvider(ExecutionProvider.cpu(1));
        int firstSegment;
        FrameEmbeddings frame;
        FrameEmbeddings many;
        try (VlModel model = VlModel.load(dir, oneThread)) {
            frame = model.encodeFrames(EngineParityTest.pixels(model.config(), 1, 7), 1);
            many = model.encodeFrames(EngineParityTest.pixels(model.config(), 16, 8), 16);
            firstSegment = model.openSession().positionsFor(frame);
        }
        assertTrue(many.tokens() > ROOM, "16 frames need more than " + ROOM + " positions");
        // The same checkpoint with room for one frame and ROOM more positions.
        Path config = dir.resolve("config.json");
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(config.toFile());
        ((ObjectNode) root.get("text_config")).put("max_position_embeddings", firstSegment + ROOM);
        Files.writeString(config, json.writeValueAsString(root));
        try (VlModel model = VlModel.load(dir, oneThread)) {
            VlSession session = model.openSession();
            assertEquals(firstSegment + ROOM, session.maxPositions());
            session.appendFrames(frame);
            assertEquals(firstSegment, session.contextTokens());
            ContextFullException full = assertThrows(ContextFullException.class, () -> session.appendFrames(many));
            assertTrue(full.getMessage().contains("max_position_embeddings"), full.getMessage());
            assertEquals(firstSegment, session.contextTokens(), "nothing was prefilled");

            Answer answer = session.ask("What?", GenerationOptions.greedy(Integer.MAX_VALUE), TokenListener.none());
            assertTrue(answer.promptTokens() + answer.tokenIds().size() <= ROOM,
                    () -> answer.promptTokens() + " + " + answer.tokenIds().size() + " > " + ROOM);
            assertThrows(ContextFullException.class, () -> session.ask("why ".repeat(ROOM), 4));
        }
    }
}
