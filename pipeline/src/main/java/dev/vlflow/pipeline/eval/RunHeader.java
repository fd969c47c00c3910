package dev.vlflow.pipeline.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vlflow.conf.DecodingSpec;
import dev.vlflow.conf.ZipVlSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * What a run's answers depend on, recorded as {@code run.json} in its output directory so that a rerun resumes only
 * the same run. Settings that do not change answers (runner, parallelism, prefix sharing, lossless drafters,
 * {@code --limit}, task-type filters: those select questions, not answers) are not recorded.
 *
 * <pre>
 * run.json = { "format": 1, "model": NAME, "model_fingerprint": HEX, "annotations": NAME,
 *              "annotations_sha256": HEX, "frames": N, "subtitles": BOOL, "prompt": STYLE, "extraction": RULE,
 *              "max_new_tokens": N, "kv": PRECISION, "weights": PRECISION, "zipvl": SPEC, "lossy_decoding": SPEC }
 * </pre>
 *
 * @param model            the model directory's name (shown in messages)
 * @param modelFingerprint SHA-256 over config.json and, per safetensors file in name order, its name, size, first and
 *                         last MiB (tells tiny-random from tiny-trained without reading gigabytes)
 * @param annotations      the annotation file's name
 * @param annotationsSha256 SHA-256 of the annotation file (synthetic sets of every seed reuse question ids)
 * @param lossyDecoding    Unified Layer Skipping's setting, or {@code none} (drafters are lossless)
 */
public record RunHeader(String model, String modelFingerprint, String annotations, String annotationsSha256,
                        int frames, boolean subtitles, String prompt, String extraction, int maxNewTokens, String kv,
                        String weights, String zipvl, String lossyDecoding) {

    public static final String FILE = "run.json";
    static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int EDGE = 1 << 20;

    public RunHeader {
        Stream.of(model, modelFingerprint, annotations, annotationsSha256, prompt, extraction, kv, weights, zipvl,
                lossyDecoding).forEach(Objects::requireNonNull);
    }

    /** The header of a request (reads the annotation file and the model's config and weight files' edges). */
    public static RunHeader of(EvalRequest request) {
        EvalOptions o = request.options();
        return new RunHeader(request.model().toAbsolutePath().normalize().getFileName().toString(),
                modelFingerprint(request.model()), request.annotations().getFileName().toString(),
                sha256(request.annotations()), o.frames(), o.subtitles(), o.prompt().name(), o.extraction().label(),
                o.maxNewTokens(), o.kv(), o.weights(), zipvl(o.zipvl()), lossy(o.speculation()));
    }

    /** Every recorded setting that differs, as {@code "key: recorded A, this run B"}; empty when the runs match. */
    public List<String> differences(RunHeader now) {
        List<String> out = new ArrayList<>();
        diff(out, "model", model, now.model);
        if (!modelFingerprint.equals(now.modelFingerprint)) {
            out.add("model weights/config: recorded fingerprint " + modelFingerprint.substring(0, 12)
                    + ", this run " + now.modelFingerprint.substring(0, 12));
        }
        diff(out, "annotations", annotations, now.annotations);
        if (!annotationsSha256.equals(now.annotationsSha256)) {
            out.add("annotation file content: recorded sha256 " + annotationsSha256.substring(0, 12) + ", this run "
                    + now.annotationsSha256.substring(0, 12));
        }
        diff(out, "frames", frames, now.frames);
        diff(out, "subtitles", subtitles, now.subtitles);
        diff(out, "prompt", prompt, now.prompt);
        diff(out, "extraction", extraction, now.extraction);
        diff(out, "max new tokens", maxNewTokens, now.maxNewTokens);
        diff(out, "kv", kv, now.kv);
        diff(out, "weights", weights, now.weights);
        diff(out, "zipvl", zipvl, now.zipvl);
        diff(out, "lossy decoding", lossyDecoding, now.lossyDecoding);
        return out;
    }

    public void write(Path dir) {
        ObjectNode o = JSON.createObjectNode();
        o.put("format", FORMAT);
        o.put("model", model);
        o.put("model_fingerprint", modelFingerprint);
        o.put("annotations", annotations);
        o.put("annotations_sha256", annotationsSha256);
        o.put("frames", frames);
        o.put("subtitles", subtitles);
        o.put("prompt", prompt);
        o.put("extraction", extraction);
        o.put("max_new_tokens", maxNewTokens);
        o.put("kv", kv);
        o.put("weights", weights);
        o.put("zipvl", zipvl);
        o.put("lossy_decoding", lossyDecoding);
        try {
            Files.createDirectories(dir);
            JSON.writeValue(dir.resolve(FILE).toFile(), o);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(FILE), e);
        }
    }

    /** Reads {@code dir/run.json}; throws {@link IllegalArgumentException} when it is not a header this code reads. */
    public static RunHeader read(Path dir) {
        Path file = dir.resolve(FILE);
        JsonNode o;
        try {
            o = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + e.getMessage(), e);
        }
        if (o == null || o.path("format").asInt(-1) != FORMAT) {
            throw new IllegalArgumentException(file + " has format " + (o == null ? "none" : o.path("format"))
                    + "; this vlflow reads format " + FORMAT);
        }
        return new RunHeader(text(o, "model"), text(o, "model_fingerprint"), text(o, "annotations"),
                text(o, "annotations_sha256"), o.path("frames").asInt(), o.path("subtitles").asBoolean(),
                text(o, "prompt"), text(o, "extraction"), o.path("max_new_tokens").asInt(), text(o, "kv"),
                text(o, "weights"), text(o, "zipvl"), text(o, "lossy_decoding"));
    }

    private static String text(JsonNode o, String key) {
        if (!o.hasNonNull(key)) {
            throw new IllegalArgumentException(FILE + " lacks '" + key + "'");
        }
        return o.get(key).asText();
    }

    private static void diff(List<String> out, String key, Object recorded, Object now) {
        if (!recorded.equals(now)) {
            out.add(key + ": recorded " + recorded + ", this run " + now);
        }
    }

    static String zipvl(ZipVlSpec z) {
        return z instanceof ZipVlSpec.On on ? "on(tau " + on.tau() + ", probes " + on.probesRecent() + "+"
                + on.probesRandom() + ", dense " + on.denseLayers() + ", interval " + on.decodeInterval()
                + (on.demote() ? ", demote" : "") + (on.dropAfter() > 0 ? ", drop after " + on.dropAfter() : "")
                + (on.questionProbes() ? ", question probes" : "") + ")" : "off";
    }

    static String lossy(DecodingSpec.Speculation s) {
        return s.lossy() ? "uls-speedup " + s.ulsSpeedup() : "none";
    }

    static String modelFingerprint(Path dir) {
        MessageDigest md = sha256();
        try {
            Path config = dir.resolve("config.json");
            if (Files.isRegularFile(config)) {
                md.update(Files.readAllBytes(config));
            }
            List<Path> shards;
            try (Stream<Path> s = Files.list(dir)) {
                shards = s.filter(p -> p.getFileName().toString().endsWith(".safetensors")).sorted().toList();
            }
            for (Path shard : shards) {
                md.update(shard.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                try (FileChannel ch = FileChannel.open(shard)) {
                    long size = ch.size();
                    md.update(ByteBuffer.allocate(Long.BYTES).putLong(size).flip());
                    md.update(readAt(ch, 0, (int) Math.min(EDGE, size)));
                    md.update(readAt(ch, Math.max(0, size - EDGE), (int) Math.min(EDGE, size)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model directory " + dir, e);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static String sha256(Path file) {
        MessageDigest md = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static ByteBuffer readAt(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining() && ch.read(b, position + b.position()) > 0) {
            // read fully
        }
        return b.flip();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
