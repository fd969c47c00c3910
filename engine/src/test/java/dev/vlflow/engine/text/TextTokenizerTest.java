package dev.vlflow.engine.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The project's tokenizer.json run by Hugging Face tokenizers (DJL), against a plain Java BPE encoder and exact
 * round trips.
 */
class TextTokenizerTest {

    @TempDir
    static Path dir;
    static BpeVocabulary bpe;
    static SpecialTokens special;
    static TextTokenizer tokenizer;

    static final List<String> SAMPLES = List.of(
            "What colour is the square at the end of the video?",
            "Select the best answer to the following multiple-choice question based on the video.\nA. red\nB. blue",
            "  leading spaces, trailing spaces   ",
            "Numbers 12345 and 3.14159; punctuation!? (yes) [no] {maybe} ... it's they're we've I'm he'd",
            "Tabs\tand\r\nwindows line ends\n\n\nand blank lines",
            "Unicode: héllo wörld, naïve café, 日本語のテキスト, emoji 🎥🟥🔵, Ελληνικά, русский",
            "combining e\u0301 (NFC makes it é)");

    @BeforeAll
    static void writeTokenizer() {
        bpe = BpeTrainer.train(TrainingCorpus.text(), 4000);
        special = TokenizerFiles.write(dir, bpe, ChatTemplate.LLAVA_ONEVISION, 32768);
        tokenizer = TextTokenizer.open(dir);
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    @Test
    void specialTokensHaveTheirIds() {
        assertArrayEquals(new int[] {special.endOfText(), special.imStart(), special.imEnd(), special.image(),
                special.video()}, tokenizer.encode("<|endoftext|><|im_start|><|im_end|><image><video>"));
        assertEquals(bpe.size() + 4, tokenizer.tokenId("<video>"));
        assertEquals(bpe.size() + 1, tokenizer.tokenId("<|im_start|>"));
        int[] ids = tokenizer.encode("<|im_start|>user\n<video>\nHi<|im_end|>");
        assertEquals(special.imStart(), ids[0]);
        assertEquals(special.imEnd(), ids[ids.length - 1]);
        assertEquals(1, Arrays.stream(ids).filter(i -> i == special.video()).count());
    }

    @Test
    void encodingAddsNothing() {
        assertEquals(0, tokenizer.encode("").length);
        assertArrayEquals(new int[] {special.video()}, tokenizer.encode("<video>"));
    }

    @Test
    void roundTripsTextWithSpecialTokens() {
        for (String s : SAMPLES) {
            String text = s.replace("combining e\u0301", "combining \u00e9");
            assertEquals(text, tokenizer.decode(tokenizer.encode(text)), text);
            String wrapped = "<|im_start|>user\n<video>\n" + text + "<|im_end|>\n";
            assertEquals(wrapped, tokenizer.decode(tokenizer.encode(wrapped)));
        }
    }

    @Test
    void decodingCanSkipSpecialTokens() {
        int[] ids = tokenizer.encode("<|im_start|>assistant\nThe square is red.<|im_end|>");
        assertEquals("assistant\nThe square is red.", tokenizer.decodeSkippingSpecial(ids));
    }

    @Test
    void idsEqualAPlainJavaBpeEncoder() {
        ReferenceBpe reference = new ReferenceBpe(bpe);
        for (String line : TrainingCorpus.text().lines().toList()) {
            assertEquals(reference.encode(line), toList(tokenizer.encode(line)), line);
        }
        for (String s : SAMPLES) {
            String text = "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<video>\n" + s;
            assertEquals(reference.encode(text), toList(tokenizer.encode(text)), text);
        }
    }

    @Test
    void learnedMergesCompressEnglish() {
        String q = "What colour is the square at the end of the video?";
        assertTrue(tokenizer.encode(q).length < q.length() / 2, Arrays.toString(tokenizer.tokens(q)));
        assertEquals(List.of("What", "Ġcolour", "Ġis", "Ġthe", "Ġsquare"),
                Arrays.asList(tokenizer.tokens(q)).subList(0, 5));
    }

    @Test
    void longPromptsAreNotTruncated() {
        String text = "The red square moves to the left. ".repeat(1000);
        int[] ids = tokenizer.encode(text);
        assertTrue(ids.length > 5000, "DJL's default truncation to 512 must be off: " + ids.length);
        assertEquals(text, tokenizer.decode(ids));
    }

    @Test
    void trainingIsDeterministic() {
        BpeVocabulary again = BpeTrainer.train(TrainingCorpus.text(), 4000);
        assertEquals(bpe, again);
        assertTrue(bpe.merges().size() > 300, "merges: " + bpe.merges().size());
        for (int b = 0; b < 256; b++) {
            assertEquals(String.valueOf(ByteLevel.symbol(b)), bpe.tokens().get(b));
        }
        assertEquals("Ġ", String.valueOf(ByteLevel.symbol(' ')));
        assertEquals("Ċ", String.valueOf(ByteLevel.symbol('\n')));
        assertFalse(bpe.tokens().stream().distinct().count() < bpe.size(), "tokens are unique");
    }

    private static List<Integer> toList(int[] ids) {
        return Arrays.stream(ids).boxed().toList();
    }
}
