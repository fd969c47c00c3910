package dev.vlflow.pipeline.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vlflow.connectors.videomme.PromptStyle;
import org.junit.jupiter.api.Test;

/**
 * Which frames' subtitle cues enter the prompt: lmms-eval mode selects them at 32 uniform frames of the whole video
 * ({@code np.linspace(0, total - 1, 32, dtype=int)}) whatever the model samples; official mode at the model's frames.
 */
class SubtitleFramesTest {

    @Test
    void lmmsEvalSelectsAt32FramesOfficialAtTheModelsFrames() {
        long[] sampled = {0, 428, 857, 1285, 1714, 2142, 2571, 2999}; // 8 frames of a 3000-frame video
        SampledVideo video = new SampledVideo(new float[8], 8, sampled, 30.0, 3000);
        assertArrayEquals(new int[] {0, 428, 857, 1285, 1714, 2142, 2571, 2999},
                VideoEvaluator.subtitleFrames(PromptStyle.OFFICIAL, video));
        int[] lmms = VideoEvaluator.subtitleFrames(PromptStyle.LMMS_EVAL, video);
        assertEquals(32, lmms.length);
        assertEquals(0, lmms[0]);
        assertEquals(96, lmms[1]); // floor(1 * 2999 / 31) = floor(96.74)
        assertEquals(2999, lmms[31]);
        // a 64-frame model still gets lmms-eval's 32 subtitle frames
        long[] many = new long[64];
        for (int i = 0; i < 64; i++) {
            many[i] = i * 47L;
        }
        assertEquals(32, VideoEvaluator.subtitleFrames(PromptStyle.LMMS_EVAL,
                new SampledVideo(new float[64], 64, many, 30.0, 3000)).length);
    }
}
