package dev.vlflow.engine.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Test reference: a plain Java byte-level BPE encoder (rank-ordered merges, as in the GPT-2 paper's reference code),
 * independent of the Hugging Face tokenizers library, for one {@link BpeVocabulary} plus the special tokens.
 */
final class ReferenceBpe {

    private final Map<String, Integer> ids = new HashMap<>();
    private final Map<String, Integer> ranks = new HashMap<>();
    private final SpecialTokens special;

    ReferenceBpe(BpeVocabulary bpe) {
        for (int i = 0; i < bpe.size(); i++) {
            ids.put(bpe.tokens().get(i), i);
        }
        for (int r = 0; r < bpe.merges().size(); r++) {
            ranks.putIfAbsent(bpe.merges().get(r).left() + " " + bpe.merges().get(r).right(), r);
        }
        special = SpecialTokens.after(bpe.size());
    }

    List<Integer> encode(String text) {
        List<Integer> out = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int next = text.length();
            int which = -1;
            for (int s = 0; s < SpecialTokens.CONTENTS.size(); s++) {
                int at = text.indexOf(SpecialTokens.CONTENTS.get(s), start);
                if (at >= 0 && at < next) {
                    next = at;
                    which = s;
                }
            }
            encodePlain(text.substring(start, next), out);
            if (which < 0) {
                break;
            }
            out.add(special.ids().get(which));
            start = next + SpecialTokens.CONTENTS.get(which).length();
        }
        return out;
    }

    private void encodePlain(String text, List<Integer> out) {
        for (String piece : ByteLevel.split(Normalizer.normalize(text, Normalizer.Form.NFC))) {
            List<String> symbols = new ArrayList<>();
            for (char c : ByteLevel.encode(piece).toCharArray()) {
                symbols.add(String.valueOf(c));
            }
            while (symbols.size() > 1) {
                int bestRank = Integer.MAX_VALUE;
                int best = -1;
                for (int i = 0; i + 1 < symbols.size(); i++) {
                    Integer r = ranks.get(symbols.get(i) + " " + symbols.get(i + 1));
                    if (r != null && r < bestRank) {
                        bestRank = r;
                        best = i;
                    }
                }
                if (best < 0) {
                    break;
                }
                String left = symbols.get(best);
                String right = symbols.get(best + 1);
                List<String> merged = new ArrayList<>();
                for (int i = 0; i < symbols.size(); i++) {
                    if (i + 1 < symbols.size() && symbols.get(i).equals(left) && symbols.get(i + 1).equals(right)) {
                        merged.add(left + right);
                        i++;
                    } else {
                        merged.add(symbols.get(i));
                    }
                }
                symbols = merged;
            }
            symbols.forEach(s -> out.add(ids.get(s)));
        }
    }
}
