package dev.vlflow.engine.model;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vlflow.engine.model.make.ModelMaker;
import dev.vlflow.engine.model.make.ModelPreset;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each way a checkpoint can be broken fails at open time with a message that says what and where. */
class BadCheckpointTest {

    private static final String UP = "model.language_model.layers.0.mlp.up_proj.weight";
    private static final String NORM = "model.language_model.norm.weight";

    @TempDir
    static Path shared;
    static Path good;
    static Path sharded;

    @TempDir
    Path work;

    @BeforeAll
    static void makeGood() {
        good = ModelMaker.make(ModelMaker.Request.of(ModelPreset.TINY_RANDOM, shared.resolve("good"))).directory();
        sharded = ModelMaker.make(ModelMaker.Request.of(ModelPreset.TINY_RANDOM, shared.resolve("sharded"))
                .withMaxShardBytes(1 << 20)).directory();
    }

    private Path copy() throws IOException {
        return SafetensorsSurgery.copy(good, work.resolve("ckpt"));
    }

    private static void assertFails(Path dir, String... fragments) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.open(dir).close());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' lacks '" + f + "'");
        }
    }

    @Test
    void missingDirectory() {
        assertFails(work.resolve("nowhere"), "does not exist");
    }

    @Test
    void missingConfig() throws IOException {
        Path dir = copy();
        Files.delete(dir.resolve("config.json"));
        assertFails(dir, "no config.json in");
    }

    @Test
    void configIsNotJson() throws IOException {
        Path dir = copy();
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"llava_onevision\", ");
        assertFails(dir, "config.json is not valid JSON");
    }

    @Test
    void configOfAnotherModel() throws IOException {
        Path dir = copy();
        Files.writeString(dir.resolve("config.json"),
                Files.readString(dir.resolve("config.json")).replace("\"llava_onevision\"", "\"llama\""));
        assertFails(dir, "model_type is 'llama', expected 'llava_onevision'");
    }

    @Test
    void noWeights() throws IOException {
        Path dir = copy();
        Files.delete(dir.resolve("model.safetensors"));
        assertFails(dir, "no model.safetensors or model.safetensors.index.json");
    }

    @Test
    void headerLengthBeyondTheFile() throws IOException {
        Path dir = copy();
        Path file = dir.resolve("model.safetensors");
        SafetensorsSurgery.setLength(file, Files.size(file));
        assertFails(dir, "header length " + Files.size(file) + " runs beyond the end of the file");
    }

    @Test
    void fileTooShortForAHeader() throws IOException {
        Path dir = copy();
        Files.write(dir.resolve("model.safetensors"), new byte[] {1, 2, 3});
        assertFails(dir, "model.safetensors is 3 bytes, too short");
    }

    @Test
    void headerIsNotJson() throws IOException {
        Path dir = copy();
        SafetensorsSurgery.writeRaw(dir.resolve("model.safetensors"),
                "{\"a\": [1, 2".getBytes(StandardCharsets.UTF_8), new byte[16]);
        assertFails(dir, "safetensors header is not valid JSON");
    }

    @Test
    void unknownDtype() throws IOException {
        Path dir = copy();
        SafetensorsSurgery.editHeader(dir.resolve("model.safetensors"),
                h -> ((ObjectNode) h.get(NORM)).put("dtype", "Q9"));
        assertFails(dir, "unknown dtype 'Q9' for tensor " + NORM);
    }

    @Test
    void integerDtypeForAWeight() throws IOException {
        Path dir = copy();
        SafetensorsSurgery.editHeader(dir.resolve("model.safetensors"),
                h -> ((ObjectNode) h.get(NORM)).put("dtype", "I32"));
        assertFails(dir, "tensor " + NORM + " has dtype I32; weights must be F32, F16 or BF16");
    }

    @Test
    void missingTensor() throws IOException {
        Path dir = copy();
        SafetensorsSurgery.editHeader(dir.resolve("model.safetensors"), h -> h.remove(NORM));
        assertFails(dir, "missing 1 tensor(s) the config requires: " + NORM);
    }

    @Test
    void shapeDisagreesWithConfig() throws IOException {
        Path dir = copy();
        SafetensorsSurgery.editHeader(dir.resolve("model.safetensors"), h -> {
            ArrayNode shape = ((ObjectNode) h.get(UP)).putArray("shape");
            shape.add(128).add(384); // transposed: same byte count, wrong shape
        });
        assertFails(dir, "tensor " + UP, "expected shape [384, 128] from config.json but found [128, 384]");
    }

    @Test
    void shapeDisagreesWithConfigInLegacyLayout() throws IOException {
        Path dir = ModelMaker.make(ModelMaker.Request.of(ModelPreset.TINY_RANDOM, work.resolve("legacy"))
                .withLayout(TensorLayout.LEGACY)).directory();
        String config = Files.readString(dir.resolve("config.json"));
        Files.writeString(dir.resolve("config.json"), config.replace("\"intermediate_size\" : 384,\n    \"num_hidden_layers\" : 4",
                "\"intermediate_size\" : 512,\n    \"num_hidden_layers\" : 4"));
        assertFails(dir, "tensor model.language_model.layers.0.mlp.gate_proj.weight (stored as "
                + "language_model.model.layers.0.mlp.gate_proj.weight",
                "expected shape [512, 128] from config.json but found [384, 128]");
    }

    @Test
    void byteCountDisagreesWithShape() throws IOException {
        Path dir = copy();
        SafetensorsSurgery.editHeader(dir.resolve("model.safetensors"),
                h -> ((ObjectNode) h.get(NORM)).putArray("shape").add(64));
        assertFails(dir, "tensor " + NORM + " F32 [64] needs 256 bytes but its data offsets");
    }

    @Test
    void dataOffsetsOutsideTheFile() throws IOException {
        Path dir = copy();
        long size = Files.size(dir.resolve("model.safetensors"));
        SafetensorsSurgery.editHeader(dir.resolve("model.safetensors"),
                h -> ((ObjectNode) h.get(NORM)).putArray("data_offsets").add(size).add(size + 512));
        assertFails(dir, "data offsets [" + size + "," + (size + 512) + "] of tensor " + NORM,
                "lie outside the data section");
    }

    @Test
    void truncatedFile() throws IOException {
        Path dir = copy();
        Path file = dir.resolve("model.safetensors");
        byte[] all = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(all, all.length - 1000));
        assertFails(dir, "lie outside the data section");
    }

    @Test
    void indexNamesAMissingShard() throws IOException {
        Path dir = SafetensorsSurgery.copy(sharded, work.resolve("sharded"));
        Files.delete(dir.resolve("model-00002-of-" + shardCount(dir) + ".safetensors"));
        assertFails(dir, "names shard model-00002-of-", "which does not exist");
    }

    @Test
    void indexPlacesATensorInTheWrongShard() throws IOException {
        Path dir = SafetensorsSurgery.copy(sharded, work.resolve("sharded"));
        Path index = dir.resolve(Checkpoint.INDEX_FILE);
        String text = Files.readString(index);
        String entry = "\"" + NORM + "\" : \"";
        int at = text.indexOf(entry) + entry.length();
        String shard = text.substring(at, text.indexOf('"', at));
        String other = shard.startsWith("model-00001") ? shard.replace("model-00001", "model-00002")
                : shard.replaceFirst("model-\\d{5}", "model-00001");
        Files.writeString(index, text.replace(entry + shard, entry + other));
        assertFails(dir, "places tensor " + NORM + " in " + other + ", which does not hold it");
    }

    @Test
    void sameTensorStoredTwice() throws IOException {
        Path dir = copy();
        SafetensorsSurgery.editHeader(dir.resolve("model.safetensors"),
                h -> h.set("language_model.model.norm.weight", h.get(NORM).deepCopy()));
        assertFails(dir, "tensor " + NORM + " is stored twice");
    }

    private static String shardCount(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return String.format("%05d", files.filter(p -> p.getFileName().toString().startsWith("model-")).count());
        }
    }
}
