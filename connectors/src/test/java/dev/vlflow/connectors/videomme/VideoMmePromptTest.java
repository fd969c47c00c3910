package dev.vlflow.connectors.videomme;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Prompt texts character for character against the official README and lmms-eval's utils.py. */
class VideoMmePromptTest {

    private static final VideoMmeQuestion Q = new VideoMmeQuestion("001-3", "Counting Problem",
            "How many major routes are mentioned in the video?",
            List.of("A. Four.", "B. Five.", "C. Two.", "D. One."), "A");

    private static final String OPTIONS = "How many major routes are mentioned in the video?\n"
            + "A. Four.\nB. Five.\nC. Two.\nD. One.\n";

    @Test
    void officialWithoutSubtitles() {
        assertEquals("Select the best answer to the following multiple-choice question based on the video."
                + " Respond with only the letter (A, B, C, or D) of the correct option.\n" + OPTIONS
                + "The best answer is:", VideoMmePrompt.build(PromptStyle.OFFICIAL, Q, SubtitleInput.off()));
    }

    @Test
    void officialWithSubtitles() {
        assertEquals("This video's subtitles are listed below:\nfirst line\nsecond line\n"
                + "Select the best answer to the following multiple-choice question based on the video."
                + " Respond with only the letter (A, B, C, or D) of the correct option.\n" + OPTIONS
                + "The best answer is:", VideoMmePrompt.build(PromptStyle.OFFICIAL, Q,
                new SubtitleInput.Lines(List.of("first line", "second line"))));
        // no subtitle file: the no-subtitle template
        assertEquals(VideoMmePrompt.build(PromptStyle.OFFICIAL, Q, SubtitleInput.off()),
                VideoMmePrompt.build(PromptStyle.OFFICIAL, Q, new SubtitleInput.Missing()));
    }

    @Test
    void lmmsEvalVariants() {
        String instruction = "Select the best answer to the following multiple-choice question based on the video"
                + " and the subtitles. Respond with only the letter (A, B, C, or D) of the correct option.\n";
        assertEquals(instruction + OPTIONS + "\nAnswer with the option's letter from the given choices directly.",
                VideoMmePrompt.build(PromptStyle.LMMS_EVAL, Q, SubtitleInput.off()));
        assertEquals("This video's subtitles are listed below: \nhello\n" + instruction + OPTIONS
                + "The best answer is:", VideoMmePrompt.build(PromptStyle.LMMS_EVAL, Q,
                new SubtitleInput.Lines(List.of("hello"))));
        assertEquals("This video's subtitles are listed below: \nNo subtitles available\n" + instruction + OPTIONS
                + "The best answer is:", VideoMmePrompt.build(PromptStyle.LMMS_EVAL, Q, new SubtitleInput.Missing()));
    }

    @Test
    void styleNames() {
        assertEquals(PromptStyle.OFFICIAL, PromptStyle.parse("official"));
        assertEquals(PromptStyle.LMMS_EVAL, PromptStyle.parse("lmms-eval"));
    }
}
