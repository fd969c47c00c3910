package dev.vlflow.engine.text;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a Qwen2-style Hugging Face tokenizer for a {@link BpeVocabulary}: {@code tokenizer.json} (NFC normalizer,
 * Qwen2 split regex + ByteLevel pre-tokenizer, ByteLevel decoder, BPE model, the five added special tokens right
 * after the BPE vocabulary) and {@code tokenizer_config.json} (Qwen2Tokenizer with the chat template).
 */
public final class TokenizerFiles {

    public static final String TOKENIZER_JSON = "tokenizer.json";
    public static final String TOKENIZER_CONFIG_JSON = "tokenizer_config.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private TokenizerFiles() {
    }

    /** Writes both files into {@code dir} and returns the ids of the special tokens. */
    public static SpecialTokens write(Path dir, BpeVocabulary bpe, String chatTemplate, int modelMaxLength) {
        SpecialTokens special = SpecialTokens.after(bpe.size());
        try {
            Files.writeString(dir.resolve(TOKENIZER_JSON),
                    JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tokenizerJson(bpe, special)) + "\n");
            Files.writeString(dir.resolve(TOKENIZER_CONFIG_JSON),
                    JSON.writerWithDefaultPrettyPrinter().writeValueAsString(
                            tokenizerConfig(special, chatTemplate, modelMaxLength)) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write tokenizer files to " + dir, e);
        }
        return special;
    }

    static ObjectNode tokenizerJson(BpeVocabulary bpe, SpecialTokens special) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        List<Integer> ids = special.ids();
        for (int i = 0; i < ids.size(); i++) {
            ObjectNode t = added.addObject();
            t.put("id", ids.get(i));
            t.put("content", SpecialTokens.CONTENTS.get(i));
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", false);
            t.put("special", true);
        }
        root.putObject("normalizer").put("type", "NFC");
        ObjectNode pre = root.putObject("pre_tokenizer");
        pre.put("type", "Sequence");
        ArrayNode steps = pre.putArray("pretokenizers");
        ObjectNode split = steps.addObject();
        split.put("type", "Split");
        split.putObject("pattern").put("Regex", ByteLevel.QWEN2_SPLIT_PATTERN);
        split.put("behavior", "Isolated");
        split.put("invert", false);
        byteLevel(steps.addObject());
        byteLevel(root.putObject("post_processor"));
        byteLevel(root.putObject("decoder"));
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.put("continuing_subword_prefix", "");
        model.put("end_of_word_suffix", "");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        ObjectNode vocab = model.putObject("vocab");
        for (int id = 0; id < bpe.size(); id++) {
            vocab.put(bpe.tokens().get(id), id);
        }
        ArrayNode merges = model.putArray("merges");
        for (BpeVocabulary.Merge m : bpe.merges()) {
            merges.add(m.left() + " " + m.right());
        }
        return root;
    }

    private static void byteLevel(ObjectNode node) {
        node.put("type", "ByteLevel");
        node.put("add_prefix_space", false);
        node.put("trim_offsets", false);
        node.put("use_regex", false);
    }

    static ObjectNode tokenizerConfig(SpecialTokens special, String chatTemplate, int modelMaxLength) {
        ObjectNode root = JSON.createObjectNode();
        root.put("add_bos_token", false);
        root.put("add_prefix_space", false);
        ObjectNode decoder = root.putObject("added_tokens_decoder");
        List<Integer> ids = special.ids();
        for (int i = 0; i < ids.size(); i++) {
            ObjectNode t = decoder.putObject(Integer.toString(ids.get(i)));
            t.put("content", SpecialTokens.CONTENTS.get(i));
            t.put("lstrip", false);
            t.put("normalized", false);
            t.put("rstrip", false);
            t.put("single_word", false);
            t.put("special", true);
        }
        root.putArray("additional_special_tokens").add(SpecialTokens.IM_START).add(SpecialTokens.IM_END);
        root.putNull("bos_token");
        root.put("chat_template", chatTemplate);
        root.put("clean_up_tokenization_spaces", false);
        root.put("eos_token", SpecialTokens.IM_END);
        root.put("errors", "replace");
        root.put("model_max_length", modelMaxLength);
        root.put("pad_token", SpecialTokens.END_OF_TEXT);
        root.put("padding_side", "left");
        root.put("processor_class", "LlavaOnevisionProcessor");
        root.put("split_special_tokens", false);
        root.put("tokenizer_class", "Qwen2Tokenizer");
        root.putNull("unk_token");
        return root;
    }
}
