package dev.vlflow.engine.text;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The byte-level conventions of GPT-2 / Qwen2 tokenizers: every byte is shown as one printable character
 * ({@code bytes_to_unicode}: printable Latin-1 bytes map to themselves, the other 68 to U+0100..U+0143, so a space is
 * {@code Ġ}), and text is first split with Qwen2's pre-tokenizer regex.
 */
public final class ByteLevel {

    /** Qwen2's {@code Split} pre-tokenizer pattern (tokenizer.json), identical in Java regex syntax. */
    public static final String QWEN2_SPLIT_PATTERN =
            "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*"
                    + "|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    private static final Pattern SPLIT = Pattern.compile(QWEN2_SPLIT_PATTERN, Pattern.UNICODE_CHARACTER_CLASS);
    private static final char[] BYTE_TO_CHAR = byteToChar();

    private ByteLevel() {
    }

    private static char[] byteToChar() {
        char[] map = new char[256];
        boolean[] direct = new boolean[256];
        for (int b = '!'; b <= '~'; b++) {
            direct[b] = true;
        }
        for (int b = 0xA1; b <= 0xAC; b++) {
            direct[b] = true;
        }
        for (int b = 0xAE; b <= 0xFF; b++) {
            direct[b] = true;
        }
        int next = 256;
        for (int b = 0; b < 256; b++) {
            map[b] = direct[b] ? (char) b : (char) next++;
        }
        return map;
    }

    /** The printable character standing for byte {@code b} (0..255). */
    public static char symbol(int b) {
        return BYTE_TO_CHAR[b & 0xFF];
    }

    /** A piece of text as its byte-level string (one character per UTF-8 byte). */
    public static String encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            sb.append(symbol(b));
        }
        return sb.toString();
    }

    /** Splits text into pre-tokens exactly as the tokenizer's {@code Split} step does. */
    public static List<String> split(String text) {
        List<String> pieces = new ArrayList<>();
        Matcher m = SPLIT.matcher(text);
        int last = 0;
        while (m.find()) {
            if (m.start() > last) {
                pieces.add(text.substring(last, m.start())); // Isolated behaviour keeps unmatched gaps too
            }
            if (m.end() > m.start()) {
                pieces.add(m.group());
            }
            last = m.end();
        }
        if (last < text.length()) {
            pieces.add(text.substring(last));
        }
        return pieces;
    }
}
