package dev.vlflow.pipeline.training;

import dev.vlflow.connectors.videomme.PromptStyle;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What to export.
 *
 * @param frames    frames sampled uniformly per video (as {@code eval videomme --frames})
 * @param kinds     which answers to teach
 * @param styles    Video-MME prompt wordings of the letter examples (the evaluation's default is official)
 * @param shuffles  extra letter examples per question and style with the options re-ordered (0: the file's order)
 * @param subtitles also a letter example with the subtitles aligned to the sampled frames in the prompt, for
 *                  videos that have a subtitle file (as {@code eval videomme --subtitles})
 * @param seed      seed of the option re-orderings
 * @param answer    how letter and lookup examples are answered
 */
public record ExportOptions(int frames, Set<ExampleKind> kinds, List<PromptStyle> styles, int shuffles,
                            boolean subtitles, long seed, LetterAnswer answer) {

    public ExportOptions {
        Objects.requireNonNull(kinds, "kinds");
        Objects.requireNonNull(answer, "answer");
        kinds = kinds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(kinds));
        styles = List.copyOf(styles);
        if (frames <= 0 || shuffles < 0) {
            throw new IllegalArgumentException("frames must be positive and shuffles not negative");
        }
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("export at least one kind of example");
        }
        if (kinds.contains(ExampleKind.LETTER) && styles.isEmpty()) {
            throw new IllegalArgumentException("letter examples need a prompt style");
        }
    }

    /** Letters alone (official wording, the file's option order) and sentences, no subtitles. */
    public static ExportOptions defaults(int frames) {
        return new ExportOptions(frames, EnumSet.of(ExampleKind.LETTER, ExampleKind.SENTENCE),
                List.of(PromptStyle.OFFICIAL), 0, false, 0, LetterAnswer.LETTER);
    }

    public ExportOptions withShuffles(int n) {
        return new ExportOptions(frames, kinds, styles, n, subtitles, seed, answer);
    }

    public ExportOptions withSubtitles(boolean on) {
        return new ExportOptions(frames, kinds, styles, shuffles, on, seed, answer);
    }

    public ExportOptions withStyles(List<PromptStyle> s) {
        return new ExportOptions(frames, kinds, s, shuffles, subtitles, seed, answer);
    }

    public ExportOptions withKinds(Set<ExampleKind> k) {
        return new ExportOptions(frames, k, styles, shuffles, subtitles, seed, answer);
    }

    public ExportOptions withAnswer(LetterAnswer a) {
        return new ExportOptions(frames, kinds, styles, shuffles, subtitles, seed, a);
    }

    public ExportOptions withSeed(long s) {
        return new ExportOptions(frames, kinds, styles, shuffles, subtitles, s, answer);
    }
}
