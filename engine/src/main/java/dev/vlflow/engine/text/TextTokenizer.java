package dev.vlflow.engine.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A checkpoint's {@code tokenizer.json}, run by the Hugging Face tokenizers library through DJL (native, offline).
 * Encoding never adds special tokens by itself (the chat template writes them as text, and added tokens such as
 * {@code <video>} in the text map to their ids); truncation and padding are off.
 */
public final class TextTokenizer implements AutoCloseable {

    private static final Map<String, String> OPTIONS =
            Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false");

    private final HuggingFaceTokenizer tokenizer;
    private final int vocabularySize;

    private TextTokenizer(HuggingFaceTokenizer tokenizer, int vocabularySize) {
        this.tokenizer = tokenizer;
        this.vocabularySize = vocabularySize;
    }

    /**
     * One more than the largest id the tokenizer assigns (its model vocabulary and added tokens). A checkpoint's
     * embedding may have more rows (padded to a multiple of 64); those ids decode to nothing.
     */
    public int vocabularySize() {
        return vocabularySize;
    }

    private static int vocabularySize(Path file) throws IOException {
        com.fasterxml.jackson.databind.JsonNode root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile());
        int max = -1;
        var vocab = root.path("model").path("vocab").fields();
        while (vocab.hasNext()) {
            max = Math.max(max, vocab.next().getValue().asInt());
        }
        for (com.fasterxml.jackson.databind.JsonNode added : root.path("added_tokens")) {
            max = Math.max(max, added.path("id").asInt());
        }
        return max + 1;
    }

    /** Loads {@code dir/tokenizer.json} (or the file itself if {@code path} is one). */
    public static TextTokenizer open(Path path) {
        Path file = Files.isDirectory(path) ? path.resolve(TokenizerFiles.TOKENIZER_JSON) : path;
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no tokenizer file " + file);
        }
        try (InputStream in = Files.newInputStream(file)) {
            return new TextTokenizer(HuggingFaceTokenizer.newInstance(in, OPTIONS), vocabularySize(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read tokenizer " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot load tokenizer " + file + ": " + e.getMessage(), e);
        }
    }

    /** Token ids of {@code text}; special tokens written in the text become their ids. */
    public int[] encode(String text) {
        Encoding encoding = tokenizer.encode(text, false, false);
        long[] ids = encoding.getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    /** The tokens (byte-level strings) of {@code text}, for inspection. */
    public String[] tokens(String text) {
        return tokenizer.encode(text, false, false).getTokens();
    }

    /** Text of the ids, special tokens included. */
    public String decode(int[] ids) {
        return tokenizer.decode(toLong(ids), false);
    }

    /** Text of the ids with special tokens left out. */
    public String decodeSkippingSpecial(int[] ids) {
        return tokenizer.decode(toLong(ids), true);
    }

    /** The id of a single-token string such as {@code <video>}; throws if it is not exactly one token. */
    public int tokenId(String token) {
        int[] ids = encode(token);
        if (ids.length != 1) {
            throw new IllegalArgumentException("'" + token + "' is " + ids.length + " tokens, not one");
        }
        return ids[0];
    }

    private static long[] toLong(int[] ids) {
        long[] out = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = ids[i];
        }
        return out;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
