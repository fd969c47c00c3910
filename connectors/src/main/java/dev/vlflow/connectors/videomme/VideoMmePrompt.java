package dev.vlflow.connectors.videomme;

/**
 * The text of a Video-MME question as the model sees it (the chat template and the video go around it).
 *
 * <p>Official (README), lines joined by {@code \n}; the first two lines only with subtitles:
 * <pre>
 * This video's subtitles are listed below:
 * [Subtitles]
 * Select the best answer to the following multiple-choice question based on the video. Respond with only the letter (A, B, C, or D) of the correct option.
 * [Question]
 * A. ...
 * D. ...
 * The best answer is:
 * </pre>
 * lmms-eval ({@code videomme} / {@code videomme_w_subtitle}): the instruction says "based on the video and the
 * subtitles" in both; without subtitles it ends with its default post-prompt
 * {@code "\nAnswer with the option's letter from the given choices directly."}; with subtitles it starts
 * {@code "This video's subtitles are listed below: \n"} (note the space) and uses "No subtitles available" when the
 * video has no subtitle file, ending with "The best answer is:".
 *
 * <p>A video without a subtitle file gets the official no-subtitle template (the README does not say otherwise).
 */
public final class VideoMmePrompt {

    static final String OFFICIAL_INSTRUCTION = "Select the best answer to the following multiple-choice question"
            + " based on the video. Respond with only the letter (A, B, C, or D) of the correct option.";
    static final String LMMS_INSTRUCTION = "Select the best answer to the following multiple-choice question"
            + " based on the video and the subtitles. Respond with only the letter (A, B, C, or D) of the correct"
            + " option.";
    static final String LMMS_POST_PROMPT = "\nAnswer with the option's letter from the given choices directly.";
    static final String BEST_ANSWER = "The best answer is:";

    private VideoMmePrompt() {
    }

    public static String build(PromptStyle style, VideoMmeQuestion q, SubtitleInput subtitles) {
        String body = q.question() + "\n" + String.join("\n", q.options());
        return switch (style) {
            case OFFICIAL -> official(body, subtitles);
            case LMMS_EVAL -> lmmsEval(body, subtitles);
        };
    }

    private static String official(String body, SubtitleInput subtitles) {
        String core = OFFICIAL_INSTRUCTION + "\n" + body + "\n" + BEST_ANSWER;
        if (subtitles instanceof SubtitleInput.Lines l) {
            return "This video's subtitles are listed below:\n" + String.join("\n", l.lines()) + "\n" + core;
        }
        return core;
    }

    private static String lmmsEval(String body, SubtitleInput subtitles) {
        if (subtitles instanceof SubtitleInput.Off) {
            return LMMS_INSTRUCTION + "\n" + body + "\n" + LMMS_POST_PROMPT;
        }
        String subs = subtitles instanceof SubtitleInput.Lines l ? String.join("\n", l.lines())
                : "No subtitles available";
        return "This video's subtitles are listed below: \n" + subs + "\n" + LMMS_INSTRUCTION + "\n" + body + "\n"
                + BEST_ANSWER;
    }
}
