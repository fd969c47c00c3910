package dev.vlflow.engine.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Streaming deltas add up to the full decode, and never show half a character. */
class DecodeStreamTest {

    @TempDir
    Path dir;

    @Test
    void deltasConcatenateToTheFullText() {
        TokenizerFiles.write(dir, BpeTrainer.train(TrainingCorpus.text(), 4000), ChatTemplate.LLAVA_ONEVISION, 32768);
        try (TextTokenizer tokenizer = TextTokenizer.open(dir)) {
            for (String text : TextTokenizerTest.SAMPLES) {
                String full = text + "<|im_end|>";
                int[] ids = tokenizer.encode(full);
                DecodeStream stream = new DecodeStream(tokenizer);
                StringBuilder seen = new StringBuilder();
                for (int id : ids) {
                    String delta = stream.add(id);
                    assertFalse(delta.contains("\uFFFD"), "partial character emitted for " + text);
                    seen.append(delta);
                }
                assertEquals(tokenizer.decode(ids), seen.toString());
                assertEquals(seen.toString(), stream.text());
            }
        }
    }
}
