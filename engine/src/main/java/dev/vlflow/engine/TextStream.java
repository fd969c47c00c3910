package dev.vlflow.engine;

import dev.vlflow.engine.text.TextTokenizer;
import java.util.Arrays;

/**
 * Turns a growing list of generated ids into text deltas. Byte-level BPE can split one character over several
 * tokens, so the text of the ids so far is decoded each time and a trailing incomplete character (decoded as
 * U+FFFD) is held back until the next token completes it.
 */
final class TextStream {

    private final TextTokenizer tokenizer;
    private int[] ids = new int[16];
    private int count;
    private String emitted = "";

    TextStream(TextTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** Adds a token and returns the text it completes (possibly empty). */
    String add(int id) {
        if (count == ids.length) {
            ids = Arrays.copyOf(ids, count * 2);
        }
        ids[count++] = id;
        String full = tokenizer.decode(Arrays.copyOf(ids, count));
        if (full.endsWith("\uFFFD") || !full.startsWith(emitted)) {
            return "";
        }
        String delta = full.substring(emitted.length());
        emitted = full;
        return delta;
    }

    /** All text decoded so far, including a held-back tail. */
    String text() {
        return tokenizer.decode(Arrays.copyOf(ids, count));
    }
}
