package dev.vlflow.engine.text;

import java.util.Arrays;

/**
 * Turns generated ids, one at a time, into text deltas, decoding only a short window of recent tokens (the
 * incremental detokenization of vLLM / HF's {@code DecodeStream}): the window's text before and after the new token
 * is compared and the difference emitted. Byte-level BPE may split a character over several tokens; while the
 * window's text ends in U+FFFD the delta is held back until a later token completes the character.
 */
public final class DecodeStream {

    private final TextTokenizer tokenizer;
    private int[] ids = new int[64];
    private int count;
    private int prefixStart; // window start: tokens before it are fully emitted
    private int readStart;   // tokens in [prefixStart, readStart) have been emitted
    private final StringBuilder text = new StringBuilder();

    public DecodeStream(TextTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** Adds a token and returns the text it completes (possibly empty). */
    public String add(int id) {
        if (count == ids.length) {
            ids = Arrays.copyOf(ids, count * 2);
        }
        ids[count++] = id;
        String prefix = tokenizer.decode(Arrays.copyOfRange(ids, prefixStart, readStart));
        String full = tokenizer.decode(Arrays.copyOfRange(ids, prefixStart, count));
        if (full.length() <= prefix.length() || full.endsWith("\uFFFD") || !full.startsWith(prefix)) {
            return "";
        }
        String delta = full.substring(prefix.length());
        prefixStart = readStart;
        readStart = count;
        text.append(delta);
        return delta;
    }

    /** All text emitted so far. */
    public String text() {
        return text.toString();
    }
}
