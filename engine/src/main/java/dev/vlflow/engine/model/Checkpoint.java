package dev.vlflow.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Hugging Face LLaVA-OneVision checkpoint directory, opened read-only: {@code config.json} plus
 * {@code model.safetensors} or shards listed in {@code model.safetensors.index.json}, in either
 * {@link TensorLayout}, stored as F32, F16 or BF16.
 *
 * <p>Every tensor {@link #expectedTensors(ModelConfig)} names is checked at open time (present, floating point,
 * shape as the config says). Tensors are memory-mapped: F32 ones are returned as views of the file; 16-bit ones are
 * converted to a direct float buffer on first use and cached. With tied embeddings (or no {@code lm_head} in the
 * files) {@code lm_head.weight} resolves to {@code model.language_model.embed_tokens.weight}.
 */
public final class Checkpoint implements Weights {

    public static final String SINGLE_FILE = "model.safetensors";
    public static final String INDEX_FILE = "model.safetensors.index.json";
    public static final String EMBED = "model.language_model.embed_tokens.weight";
    public static final String LM_HEAD = "lm_head.weight";

    /** Where a canonical tensor lives. */
    private record Located(SafetensorsFile file, SafetensorsFile.Entry entry, DType dtype) {
    }

    private final Path directory;
    private final ModelConfig config;
    private final List<SafetensorsFile> files;
    private final Map<String, Located> tensors; // canonical name -> location
    private final TensorLayout layout;
    private final Map<String, FloatBuffer> floatCache = new ConcurrentHashMap<>();

    private Checkpoint(Path directory, ModelConfig config, List<SafetensorsFile> files, Map<String, Located> tensors,
                       TensorLayout layout) {
        this.directory = directory;
        this.config = config;
        this.files = files;
        this.tensors = tensors;
        this.layout = layout;
    }

    /** Opens and validates a checkpoint directory; throws {@link CheckpointException} saying what is wrong. */
    public static Checkpoint open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new CheckpointException("checkpoint directory " + dir + " does not exist");
        }
        ModelConfig config = ModelConfigJson.read(dir);
        List<SafetensorsFile> files = new ArrayList<>();
        try {
            Catalog catalog = catalog(shardsOf(dir), files);
            if (!config.text().tieWordEmbeddings() && !catalog.tensors().containsKey(LM_HEAD)) {
                config = withTiedEmbeddings(config); // no lm_head stored: the head is the embedding
            }
            validate(dir, config, catalog, files);
            return new Checkpoint(dir, config, List.copyOf(files), Collections.unmodifiableMap(catalog.tensors()),
                    catalog.legacy() ? TensorLayout.LEGACY : TensorLayout.CURRENT);
        } catch (RuntimeException e) {
            files.forEach(SafetensorsFile::close);
            throw e;
        }
    }

    /** All tensors of the files under canonical names; integer tensors (e.g. position ids) are set aside. */
    private record Catalog(Map<String, Located> tensors, Map<String, String> nonFloat, boolean legacy) {
    }

    /** Opens each shard (adding it to {@code opened}) and catalogues its tensors. */
    private static Catalog catalog(Map<Path, List<String>> shards, List<SafetensorsFile> opened) {
        Map<String, Located> tensors = new LinkedHashMap<>();
        Map<String, String> nonFloat = new LinkedHashMap<>(); // canonical name -> dtype
        boolean legacy = false;
        for (Map.Entry<Path, List<String>> shard : shards.entrySet()) {
            SafetensorsFile file = SafetensorsFile.open(shard.getKey());
            opened.add(file);
            for (String listed : shard.getValue()) {
                if (!file.entries().containsKey(listed)) {
                    throw new CheckpointException(INDEX_FILE + " places tensor " + listed + " in "
                            + shard.getKey().getFileName() + ", which does not hold it");
                }
            }
            for (SafetensorsFile.Entry entry : file.entries().values()) {
                String canonical = TensorLayout.canonical(entry.name());
                legacy |= !canonical.equals(entry.name());
                DType dtype = floatType(entry.dtype());
                if (dtype == null) {
                    nonFloat.put(canonical, entry.dtype());
                    continue;
                }
                Located previous = tensors.put(canonical, new Located(file, entry, dtype));
                if (previous != null) {
                    throw new CheckpointException("tensor " + canonical + " is stored twice: as "
                            + previous.entry().name() + " in " + previous.file().path().getFileName() + " and as "
                            + entry.name() + " in " + file.path().getFileName());
                }
            }
        }
        return new Catalog(tensors, nonFloat, legacy);
    }

    /**
     * Every tensor the model needs, canonical name -> shape, in a stable order (decoder, projector, newline,
     * vision tower). {@code lm_head.weight} appears only when embeddings are not tied.
     */
    public static Map<String, long[]> expectedTensors(ModelConfig config) {
        TextConfig t = config.text();
        VisionConfig v = config.vision();
        long h = t.hiddenSize();
        long kv = t.kvWidth();
        long inter = t.intermediateSize();
        Map<String, long[]> m = new LinkedHashMap<>();
        String lm = "model.language_model.";
        m.put(EMBED, new long[] {t.vocabSize(), h});
        for (int l = 0; l < t.numHiddenLayers(); l++) {
            String p = lm + "layers." + l + ".";
            m.put(p + "input_layernorm.weight", new long[] {h});
            m.put(p + "self_attn.q_proj.weight", new long[] {h, h});
            m.put(p + "self_attn.q_proj.bias", new long[] {h});
            m.put(p + "self_attn.k_proj.weight", new long[] {kv, h});
            m.put(p + "self_attn.k_proj.bias", new long[] {kv});
            m.put(p + "self_attn.v_proj.weight", new long[] {kv, h});
            m.put(p + "self_attn.v_proj.bias", new long[] {kv});
            m.put(p + "self_attn.o_proj.weight", new long[] {h, h});
            m.put(p + "post_attention_layernorm.weight", new long[] {h});
            m.put(p + "mlp.gate_proj.weight", new long[] {inter, h});
            m.put(p + "mlp.up_proj.weight", new long[] {inter, h});
            m.put(p + "mlp.down_proj.weight", new long[] {h, inter});
        }
        m.put(lm + "norm.weight", new long[] {h});
        if (!t.tieWordEmbeddings()) {
            m.put(LM_HEAD, new long[] {t.vocabSize(), h});
        }
        long vh = v.hiddenSize();
        long vi = v.intermediateSize();
        m.put("model.multi_modal_projector.linear_1.weight", new long[] {h, vh});
        m.put("model.multi_modal_projector.linear_1.bias", new long[] {h});
        m.put("model.multi_modal_projector.linear_2.weight", new long[] {h, h});
        m.put("model.multi_modal_projector.linear_2.bias", new long[] {h});
        m.put("model.image_newline", new long[] {h});
        String vm = "model.vision_tower.vision_model.";
        m.put(vm + "embeddings.patch_embedding.weight",
                new long[] {vh, v.numChannels(), v.patchSize(), v.patchSize()});
        m.put(vm + "embeddings.patch_embedding.bias", new long[] {vh});
        m.put(vm + "embeddings.position_embedding.weight", new long[] {v.numPatches(), vh});
        for (int l = 0; l < v.numHiddenLayers(); l++) {
            String p = vm + "encoder.layers." + l + ".";
            for (String norm : List.of("layer_norm1", "layer_norm2")) {
                m.put(p + norm + ".weight", new long[] {vh});
                m.put(p + norm + ".bias", new long[] {vh});
            }
            for (String proj : List.of("q_proj", "k_proj", "v_proj", "out_proj")) {
                m.put(p + "self_attn." + proj + ".weight", new long[] {vh, vh});
                m.put(p + "self_attn." + proj + ".bias", new long[] {vh});
            }
            m.put(p + "mlp.fc1.weight", new long[] {vi, vh});
            m.put(p + "mlp.fc1.bias", new long[] {vi});
            m.put(p + "mlp.fc2.weight", new long[] {vh, vi});
            m.put(p + "mlp.fc2.bias", new long[] {vh});
        }
        m.put(vm + "post_layernorm.weight", new long[] {vh});
        m.put(vm + "post_layernorm.bias", new long[] {vh});
        return m;
    }

    public Path directory() {
        return directory;
    }

    /** {@link TensorLayout#LEGACY} if any stored name used the legacy prefixes. */
    public TensorLayout layout() {
        return layout;
    }

    /** Canonical names of all floating-point tensors stored (plus {@code lm_head.weight} when tied), sorted. */
    public Set<String> names() {
        Set<String> names = new TreeSet<>(tensors.keySet());
        names.add(LM_HEAD);
        return Collections.unmodifiableSet(names);
    }

    @Override
    public ModelConfig config() {
        return config;
    }

    @Override
    public boolean has(String name) {
        return tensors.containsKey(resolve(name));
    }

    @Override
    public TensorInfo info(String name) {
        Located at = locate(name);
        return new TensorInfo(name, at.dtype(), at.entry().shape().clone());
    }

    @Override
    public FloatBuffer floats(String name) {
        String key = resolve(name);
        Located at = locate(name);
        return floatCache.computeIfAbsent(key, k -> toFloats(at)).duplicate();
    }

    /** The stored bytes (little-endian, the file's dtype), mapped read-only. */
    public ByteBuffer storedBytes(String name) {
        Located at = locate(name);
        return at.file().map(at.entry());
    }

    @Override
    public void close() {
        floatCache.clear();
        files.forEach(SafetensorsFile::close);
    }

    private String resolve(String name) {
        return name.equals(LM_HEAD) && config.text().tieWordEmbeddings() ? EMBED : name;
    }

    private Located locate(String name) {
        Located at = tensors.get(resolve(name));
        if (at == null) {
            throw new CheckpointException("checkpoint " + directory + " has no tensor " + name);
        }
        return at;
    }

    private static FloatBuffer toFloats(Located at) {
        ByteBuffer bytes = at.file().map(at.entry());
        if (at.dtype() == DType.F32 && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            return bytes.asFloatBuffer(); // a view of the mapped file, no copy
        }
        if (at.dtype() == DType.F32) { // big-endian machine: one native-order copy
            FloatBuffer src = bytes.asFloatBuffer();
            FloatBuffer out = ByteBuffer.allocateDirect(src.remaining() * 4).order(ByteOrder.nativeOrder())
                    .asFloatBuffer();
            return out.put(src).flip().asReadOnlyBuffer();
        }
        ShortBuffer halves = bytes.asShortBuffer();
        int n = halves.remaining();
        if ((long) n * 4 > Integer.MAX_VALUE) {
            throw new CheckpointException("tensor " + at.entry().name() + " has " + n
                    + " elements, too many to convert into one float buffer");
        }
        FloatBuffer out = ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        boolean bf16 = at.dtype() == DType.BF16;
        for (int i = 0; i < n; i++) {
            short s = halves.get(i);
            out.put(i, bf16 ? HalfFloats.bf16ToFloat(s) : HalfFloats.f16ToFloat(s));
        }
        return out.asReadOnlyBuffer();
    }

    private static DType floatType(String dtype) {
        for (DType d : DType.values()) {
            if (d.safetensorsName().equals(dtype)) {
                return d;
            }
        }
        return null;
    }

    /** The files holding the weights, each with the tensor names the index assigns to it (empty when unindexed). */
    private static Map<Path, List<String>> shardsOf(Path dir) {
        Path index = dir.resolve(INDEX_FILE);
        Path single = dir.resolve(SINGLE_FILE);
        Map<Path, List<String>> shards = new LinkedHashMap<>();
        if (Files.isRegularFile(index)) {
            JsonNode weightMap = ModelConfigJson.readJson(index).get("weight_map");
            if (weightMap == null || !weightMap.isObject() || weightMap.isEmpty()) {
                throw new CheckpointException(index + " has no weight_map");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = weightMap.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Path file = dir.resolve(e.getValue().asText());
                if (!Files.isRegularFile(file)) {
                    throw new CheckpointException(index + " names shard " + e.getValue().asText()
                            + " (for tensor " + e.getKey() + "), which does not exist");
                }
                shards.computeIfAbsent(file, f -> new ArrayList<>()).add(e.getKey());
            }
        } else if (Files.isRegularFile(single)) {
            shards.put(single, List.of());
        } else {
            throw new CheckpointException("no " + SINGLE_FILE + " or " + INDEX_FILE + " in " + dir);
        }
        return shards;
    }

    private static void validate(Path dir, ModelConfig config, Catalog catalog, List<SafetensorsFile> files) {
        Map<String, Located> tensors = catalog.tensors();
        Map<String, String> nonFloat = catalog.nonFloat();
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, long[]> e : expectedTensors(config).entrySet()) {
            Located at = tensors.get(e.getKey());
            if (at == null && nonFloat.containsKey(e.getKey())) {
                throw new CheckpointException("tensor " + e.getKey() + " has dtype " + nonFloat.get(e.getKey())
                        + "; weights must be F32, F16 or BF16");
            }
            if (at == null) {
                missing.add(e.getKey());
                continue;
            }
            if (!Arrays.equals(at.entry().shape(), e.getValue())) {
                throw new CheckpointException("tensor " + e.getKey() + storedAs(at) + ": expected shape "
                        + Arrays.toString(e.getValue()) + " from config.json but found "
                        + Arrays.toString(at.entry().shape()));
            }
        }
        if (!missing.isEmpty()) {
            throw new CheckpointException(dir + ": missing " + missing.size() + " tensor(s) the config requires: "
                    + String.join(", ", missing.subList(0, Math.min(5, missing.size())))
                    + (missing.size() > 5 ? ", ..." : "") + " (searched "
                    + files.stream().map(f -> f.path().getFileName().toString()).toList() + ")");
        }
    }

    private static String storedAs(Located at) {
        String where = " in " + at.file().path().getFileName();
        return at.entry().name().equals(TensorLayout.canonical(at.entry().name())) ? where
                : " (stored as " + at.entry().name() + where + ")";
    }

    private static ModelConfig withTiedEmbeddings(ModelConfig c) {
        TextConfig t = c.text();
        TextConfig tied = t.withTiedEmbeddings(true);
        return new ModelConfig(tied, c.vision(), c.imageTokenId(), c.videoTokenId(), c.eosTokenIds(),
                c.projectorHiddenAct());
    }
}
