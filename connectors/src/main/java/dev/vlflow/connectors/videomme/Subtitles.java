package dev.vlflow.connectors.videomme;

import java.util.ArrayList;
import java.util.List;

/**
 * A video's subtitle track.
 *
 * <p>Video-MME's guidance: with subtitles, give the model only those aligned to the sampled frames (10 frames, the
 * subtitle lines at those 10 timestamps). {@link #alignedTo} does this exactly as lmms-eval does: a cue is kept when
 * one of the sampled frame indices falls in {@code [int(start*fps), int(end*fps))}; kept cues stay in track order,
 * each once.
 *
 * @param cues the cues in file order
 */
public record Subtitles(List<SubtitleCue> cues) {

    public Subtitles {
        cues = List.copyOf(cues);
    }

    public static Subtitles none() {
        return new Subtitles(List.of());
    }

    public boolean isEmpty() {
        return cues.isEmpty();
    }

    /** Texts of the cues covering any of the sampled frames, in track order. */
    public List<String> alignedTo(int[] frameIndices, double fps) {
        if (!(fps > 0)) {
            throw new IllegalArgumentException("fps must be positive, got " + fps);
        }
        List<String> out = new ArrayList<>();
        for (SubtitleCue cue : cues) {
            for (int f : frameIndices) {
                if (cue.coversFrame(f, fps)) {
                    if (!cue.text().isEmpty()) {
                        out.add(cue.text());
                    }
                    break;
                }
            }
        }
        return out;
    }

    /** Every cue's text, in order (the whole track). */
    public List<String> allTexts() {
        return cues.stream().map(SubtitleCue::text).filter(t -> !t.isEmpty()).toList();
    }
}
