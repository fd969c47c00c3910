package dev.vlflow.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.engine.model.make.ModelMaker;
import dev.vlflow.engine.model.make.ModelPreset;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading tiny-random checkpoints written in every dtype, layout and sharding; the fp32 current-layout file is the
 * reference. Tolerances: layouts and shards exact; bf16 within its rounding (half an ulp: relative 2^-8, 8 significant
 * bits); fp16 within its rounding (half an ulp: relative 2^-11, or 2^-25 absolute in the subnormal range).
 */
class CheckpointTest {

    @TempDir
    static Path root;
    static ModelMaker.Made reference;

    @BeforeAll
    static void makeCheckpoints() {
        ModelMaker.Request base = ModelMaker.Request.of(ModelPreset.TINY_RANDOM, root.resolve("f32")).withSeed(11);
        reference = ModelMaker.make(base);
        ModelMaker.make(withOut(base, "f32-legacy").withLayout(TensorLayout.LEGACY));
        ModelMaker.make(withOut(base, "bf16-legacy").withLayout(TensorLayout.LEGACY).withDtype(DType.BF16));
        ModelMaker.make(withOut(base, "f16").withDtype(DType.F16));
        ModelMaker.make(withOut(base, "sharded").withMaxShardBytes(1 << 20));
    }

    private static ModelMaker.Request withOut(ModelMaker.Request r, String name) {
        return new ModelMaker.Request(r.preset(), root.resolve(name), r.dtype(), r.layout(), r.seed(),
                r.maxShardBytes());
    }

    @Test
    void configReadsBackAsWritten() {
        try (Checkpoint c = Checkpoint.open(root.resolve("f32"))) {
            assertEquals(reference.config(), c.config());
            assertEquals(TensorLayout.CURRENT, c.layout());
            assertEquals(16, c.config().vision().tokensPerFrame());
            assertEquals(c.config().text().vocabSize() % 64, 0);
        }
    }

    @Test
    void fileHoldsExactlyTheExpectedTensors() throws IOException {
        Set<String> stored = new HashSet<>(SafetensorsSurgery.header(root.resolve("f32/model.safetensors"))
                .properties().stream().map(Map.Entry::getKey).toList());
        stored.remove("__metadata__");
        assertEquals(Checkpoint.expectedTensors(reference.config()).keySet(), stored);
        assertFalse(stored.contains(Checkpoint.LM_HEAD), "tied embeddings: no lm_head tensor is written");
    }

    @Test
    void legacyLayoutGivesIdenticalTensors() {
        try (Checkpoint a = Checkpoint.open(root.resolve("f32")); Checkpoint b = Checkpoint.open(root.resolve("f32-legacy"))) {
            assertEquals(TensorLayout.LEGACY, b.layout());
            assertEquals(a.config(), b.config());
            for (String name : Checkpoint.expectedTensors(a.config()).keySet()) {
                assertEquals(a.floats(name), b.floats(name), name);
                assertArrayEquals(a.info(name).shape(), b.info(name).shape(), name);
            }
        }
    }

    @Test
    void shardedCheckpointWithIndexGivesIdenticalTensors() throws IOException {
        Path dir = root.resolve("sharded");
        assertTrue(Files.isRegularFile(dir.resolve(Checkpoint.INDEX_FILE)));
        assertFalse(Files.exists(dir.resolve(Checkpoint.SINGLE_FILE)));
        try (var list = Files.list(dir)) {
            assertTrue(list.filter(p -> p.getFileName().toString().matches("model-\\d{5}-of-\\d{5}\\.safetensors"))
                    .count() >= 4, "1 MiB shards of a 4.6 MiB model");
        }
        try (Checkpoint a = Checkpoint.open(root.resolve("f32")); Checkpoint b = Checkpoint.open(dir)) {
            for (String name : Checkpoint.expectedTensors(a.config()).keySet()) {
                assertEquals(a.floats(name), b.floats(name), name);
            }
        }
    }

    @Test
    void bf16AndF16AreTheReferenceWithinTheirRounding() {
        try (Checkpoint ref = Checkpoint.open(root.resolve("f32"));
             Checkpoint bf16 = Checkpoint.open(root.resolve("bf16-legacy"));
             Checkpoint f16 = Checkpoint.open(root.resolve("f16"))) {
            for (String name : Checkpoint.expectedTensors(ref.config()).keySet()) {
                assertEquals(DType.BF16, bf16.info(name).dtype());
                assertEquals(DType.F16, f16.info(name).dtype());
                FloatBuffer x = ref.floats(name);
                FloatBuffer b = bf16.floats(name);
                FloatBuffer h = f16.floats(name);
                assertEquals(x.remaining(), b.remaining());
                for (int i = 0; i < x.remaining(); i++) {
                    float v = x.get(i);
                    assertTrue(Math.abs(b.get(i) - v) <= Math.abs(v) * 0x1p-8f, name + "[" + i + "] bf16");
                    assertTrue(Math.abs(h.get(i) - v) <= Math.max(Math.abs(v) * 0x1p-11f, 0x1p-25f),
                            name + "[" + i + "] f16");
                }
            }
        }
    }

    @Test
    void f32TensorsAreReadOnlyViewsOfTheFile() throws IOException {
        Path file = root.resolve("f32/model.safetensors");
        String name = "model.language_model.layers.1.mlp.down_proj.weight";
        byte[] raw = SafetensorsSurgery.tensorBytes(file, name);
        FloatBuffer expected = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        try (Checkpoint c = Checkpoint.open(root.resolve("f32"))) {
            FloatBuffer f = c.floats(name);
            assertTrue(f.isDirect() && f.isReadOnly());
            assertEquals(ByteOrder.nativeOrder(), f.order());
            assertEquals(expected, f);
            assertEquals(128 * 384, f.remaining());
            FloatBuffer again = c.floats(name);
            again.position(5);
            assertEquals(0, c.floats(name).position(), "each call gets its own position");
        }
    }

    @Test
    void tiedLmHeadResolvesToTheEmbedding() {
        try (Checkpoint c = Checkpoint.open(root.resolve("bf16-legacy"))) {
            assertTrue(c.config().text().tieWordEmbeddings());
            assertTrue(c.has(Checkpoint.LM_HEAD));
            assertEquals(c.floats(Checkpoint.EMBED), c.floats(Checkpoint.LM_HEAD));
            assertArrayEquals(new long[] {c.config().text().vocabSize(), 128}, c.info(Checkpoint.LM_HEAD).shape());
            assertTrue(c.names().contains(Checkpoint.LM_HEAD));
        }
    }

    @Test
    void randomInitKeepsScalesSane() {
        try (Checkpoint c = Checkpoint.open(root.resolve("f32"))) {
            assertStd(c.floats("model.language_model.layers.0.mlp.up_proj.weight"), 0f, 1 / Math.sqrt(128));
            assertStd(c.floats("model.language_model.layers.0.mlp.down_proj.weight"), 0f, 1 / Math.sqrt(384));
            assertStd(c.floats("model.language_model.norm.weight"), 1f, 0.02);
            assertStd(c.floats("model.vision_tower.vision_model.embeddings.patch_embedding.weight"), 0f,
                    1 / Math.sqrt(3 * 14 * 14));
            assertStd(c.floats(Checkpoint.EMBED), 0f, 1 / Math.sqrt(128));
        }
    }

    private static void assertStd(FloatBuffer values, float mean, double std) {
        double sum = 0;
        double sq = 0;
        int n = values.remaining();
        for (int i = 0; i < n; i++) {
            sum += values.get(i);
        }
        double m = sum / n;
        for (int i = 0; i < n; i++) {
            sq += (values.get(i) - m) * (values.get(i) - m);
        }
        double s = Math.sqrt(sq / n);
        assertEquals(mean, m, 4 * std / Math.sqrt(n) + 1e-6, "mean");
        assertEquals(std, s, 0.1 * std, "std");
    }

    @Test
    void differentSeedsGiveDifferentWeights() {
        Path other = root.resolve("seed12");
        ModelMaker.make(ModelMaker.Request.of(ModelPreset.TINY_RANDOM, other).withSeed(12));
        try (Checkpoint a = Checkpoint.open(root.resolve("f32")); Checkpoint b = Checkpoint.open(other)) {
            String name = "model.image_newline";
            float[] x = new float[128];
            float[] y = new float[128];
            a.floats(name).get(x);
            b.floats(name).get(y);
            assertFalse(Arrays.equals(x, y));
        }
    }
}
