package dev.vlflow.engine.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Learns byte-level BPE merges from a corpus, the way Hugging Face's BPE trainer does: pre-tokenize with the
 * Qwen2 regex, start from the 256 byte symbols, and repeatedly merge the most frequent adjacent pair. Ties go to
 * the lexicographically smallest pair, so the result is a pure function of the corpus.
 */
public final class BpeTrainer {

    private BpeTrainer() {
    }

    /**
     * @param maxMerges upper bound on merges; training also stops when no pair occurs twice
     */
    public static BpeVocabulary train(String corpus, int maxMerges) {
        Map<String, Integer> wordCounts = new TreeMap<>();
        for (String piece : ByteLevel.split(Normalizer.normalize(corpus, Normalizer.Form.NFC))) {
            wordCounts.merge(ByteLevel.encode(piece), 1, Integer::sum);
        }
        List<String> tokens = new ArrayList<>();
        Map<String, Integer> ids = new HashMap<>();
        for (int b = 0; b < 256; b++) {
            String s = String.valueOf(ByteLevel.symbol(b));
            ids.put(s, tokens.size());
            tokens.add(s);
        }
        int[][] words = new int[wordCounts.size()][];
        int[] counts = new int[wordCounts.size()];
        int w = 0;
        for (Map.Entry<String, Integer> e : wordCounts.entrySet()) {
            String word = e.getKey();
            words[w] = new int[word.length()];
            for (int i = 0; i < word.length(); i++) {
                words[w][i] = ids.get(String.valueOf(word.charAt(i)));
            }
            counts[w++] = e.getValue();
        }
        List<BpeVocabulary.Merge> merges = new ArrayList<>();
        while (merges.size() < maxMerges) {
            long best = bestPair(words, counts, tokens);
            if (best < 0) {
                break;
            }
            int left = (int) (best >>> 32);
            int right = (int) best;
            String merged = tokens.get(left) + tokens.get(right);
            Integer id = ids.get(merged);
            if (id == null) {
                id = tokens.size();
                ids.put(merged, id);
                tokens.add(merged);
            }
            merges.add(new BpeVocabulary.Merge(tokens.get(left), tokens.get(right)));
            for (int i = 0; i < words.length; i++) {
                words[i] = apply(words[i], left, right, id);
            }
        }
        return new BpeVocabulary(tokens, merges);
    }

    /** The most frequent pair occurring at least twice, packed as {@code left << 32 | right}; -1 if none. */
    private static long bestPair(int[][] words, int[] counts, List<String> tokens) {
        Map<Long, Integer> pairs = new HashMap<>();
        for (int w = 0; w < words.length; w++) {
            int[] s = words[w];
            for (int i = 0; i + 1 < s.length; i++) {
                pairs.merge(((long) s[i] << 32) | s[i + 1], counts[w], Integer::sum);
            }
        }
        long best = -1;
        int bestCount = 1;
        for (Map.Entry<Long, Integer> e : pairs.entrySet()) {
            int c = e.getValue();
            if (c > bestCount || (c == bestCount && best >= 0 && comparePairs(e.getKey(), best, tokens) < 0)) {
                best = e.getKey();
                bestCount = c;
            }
        }
        return best;
    }

    private static int comparePairs(long a, long b, List<String> tokens) {
        int c = tokens.get((int) (a >>> 32)).compareTo(tokens.get((int) (b >>> 32)));
        return c != 0 ? c : tokens.get((int) a).compareTo(tokens.get((int) b));
    }

    private static int[] apply(int[] symbols, int left, int right, int merged) {
        int[] out = null;
        int n = 0;
        for (int i = 0; i < symbols.length; i++) {
            if (i + 1 < symbols.length && symbols[i] == left && symbols[i + 1] == right) {
                if (out == null) {
                    out = new int[symbols.length - 1];
                    System.arraycopy(symbols, 0, out, 0, i);
                    n = i;
                }
                out[n++] = merged;
                i++;
            } else if (out != null) {
                out[n++] = symbols[i];
            }
        }
        return out == null ? symbols : java.util.Arrays.copyOf(out, n);
    }
}
