package dev.vlflow.engine.text;

import java.util.List;

/**
 * Ids of the five added tokens of a LLaVA-OneVision (Qwen2) tokenizer, which follow the BPE vocabulary in this
 * order: {@code <|endoftext|>}, {@code <|im_start|>}, {@code <|im_end|>}, {@code <image>}, {@code <video>}
 * (151643..151647 in the real model).
 */
public record SpecialTokens(int endOfText, int imStart, int imEnd, int image, int video) {

    public static final String END_OF_TEXT = "<|endoftext|>";
    public static final String IM_START = "<|im_start|>";
    public static final String IM_END = "<|im_end|>";
    public static final String IMAGE = "<image>";
    public static final String VIDEO = "<video>";

    /** The contents in id order. */
    public static final List<String> CONTENTS = List.of(END_OF_TEXT, IM_START, IM_END, IMAGE, VIDEO);

    /** The ids when the added tokens directly follow a BPE vocabulary of {@code bpeSize} tokens. */
    public static SpecialTokens after(int bpeSize) {
        return new SpecialTokens(bpeSize, bpeSize + 1, bpeSize + 2, bpeSize + 3, bpeSize + 4);
    }

    /** Ids in the order of {@link #CONTENTS}. */
    public List<Integer> ids() {
        return List.of(endOfText, imStart, imEnd, image, video);
    }
}
