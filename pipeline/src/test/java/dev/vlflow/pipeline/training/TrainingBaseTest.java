package dev.vlflow.pipeline.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.cli.Main;
import dev.vlflow.connectors.videomme.AnnotationReader;
import dev.vlflow.connectors.videomme.VideoMmeQuestion;
import dev.vlflow.connectors.videomme.VideoMmeVideo;
import dev.vlflow.engine.VlModel;
import dev.vlflow.engine.model.Checkpoint;
import dev.vlflow.engine.model.ModelConfig;
import dev.vlflow.engine.text.TextTokenizer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training base: tiny-random's shape and weights, a tokenizer that knows the data set's option words. */
class TrainingBaseTest {

    @TempDir
    Path dir;

    @Test
    void optionWordsAreSingleTokensAndTheRestIsTinyRandom() {
        Path set = dir.resolve("set");
        Path base = dir.resolve("base");
        Path random = dir.resolve("random");
        assertEquals(0, Main.run("make-dataset", "videomme-synthetic", "--out", set.toString(), "--videos", "4",
                "--seed", "2"));
        assertEquals(0, Main.run("training-base", "--dataset", set.toString(), "--out", base.toString()));
        assertEquals(0, Main.run("make-model", "--preset", "tiny-random", "--out", random.toString()));
        try (Checkpoint b = Checkpoint.open(base); Checkpoint r = Checkpoint.open(random);
             TextTokenizer tokenizer = TextTokenizer.open(base)) {
            ModelConfig bc = b.config();
            ModelConfig rc = r.config();
            assertEquals(rc.vision(), bc.vision());
            assertEquals(rc.text().hiddenSize(), bc.text().hiddenSize());
            assertEquals(rc.text().numHiddenLayers(), bc.text().numHiddenLayers());
            assertEquals(0, bc.text().vocabSize() % 64);
            assertEquals(tokenizer.tokenId("<video>"), bc.videoTokenId());
            // same seeded weights as tiny-random wherever the vocabulary does not matter
            String q = "model.language_model.layers.2.self_attn.q_proj.weight";
            assertEquals(r.floats(q), b.floats(q));
            for (VideoMmeVideo v : AnnotationReader.readFile(set.resolve("videomme.json")).videos()) {
                for (VideoMmeQuestion question : v.questions()) {
                    for (String option : question.options()) {
                        // "A. Red." -> A . ĠRed .  (the letter, its dot, one word or a few, the final dot)
                        int words = option.substring(3).split(" ").length;
                        assertTrue(tokenizer.encode(option).length <= 3 + words, option);
                    }
                }
            }
        }
        try (VlModel m = VlModel.load(base)) {
            assertTrue(m.config().text().tieWordEmbeddings());
        }
    }
}
