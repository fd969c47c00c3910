package dev.vlflow.connectors.videomme;

import java.util.List;

/** What a prompt says about subtitles. */
public sealed interface SubtitleInput permits SubtitleInput.Off, SubtitleInput.Missing, SubtitleInput.Lines {

    /** Evaluation without subtitles. */
    record Off() implements SubtitleInput {
    }

    /** Evaluation with subtitles, but this video has no subtitle file. */
    record Missing() implements SubtitleInput {
    }

    /** Evaluation with subtitles: the lines aligned to the sampled frames (possibly none). */
    record Lines(List<String> lines) implements SubtitleInput {
        public Lines {
            lines = List.copyOf(lines);
        }
    }

    static SubtitleInput off() {
        return new Off();
    }
}
