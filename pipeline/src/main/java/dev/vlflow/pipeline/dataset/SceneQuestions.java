package dev.vlflow.pipeline.dataset;

import dev.vlflow.connectors.videomme.SubtitleCue;
import dev.vlflow.connectors.videomme.VideoMmeQuestion;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

/**
 * Three four-choice questions per scene with known answers, each also answered by a sentence, and the subtitle
 * track of scenes that have one (neutral narrator lines and the secret word: it answers the subtitle question and
 * no other, see {@link #subtitles}).
 * <ul>
 *   <li>colour (Attribute Perception): "What colour is the first shape to appear?" - "The first shape is red."</li>
 *   <li>count (Counting Problem): "How many shapes appear in the video?" - "Three shapes appear."</li>
 *   <li>direction (Spatial Perception): "In which direction does the red square move?" - "The red square moves
 *       left."</li>
 *   <li>order (Temporal Perception, 2+ shapes): "Which shape appears last?" - "The blue circle appears last."</li>
 *   <li>subtitle (Information Synopsis, scenes with subtitles): "What is the secret word mentioned in the
 *       subtitles?" - "The secret word is mango." (the subtitle line, quoted)</li>
 * </ul>
 * Scenes with subtitles get count, direction and subtitle; others three of colour, count, direction, order.
 *
 * <p>Options are listed in one canonical order per kind, as many multiple-choice sets list counts ascending: colours
 * in {@link ScenePlanner#COLOURS} order, counts One to Four, directions left, right, up, down, the order question's
 * shapes by colour, and the secret-word options (four of twelve) alphabetically. Colour, count, direction and order
 * questions therefore always offer the same four options, so their answer letter is a function of what the video
 * shows; the tiny model the project trains (tools/train) learns that mapping, not the reading of re-ordered option
 * lists, which a 1 M-parameter model did not pick up in the time budget. Subtitle questions still need the options
 * read.
 */
public final class SceneQuestions {

    private static final List<String> NUMBERS = List.of("One", "Two", "Three", "Four");
    private static final String FONT = "<font color=\"white\" size=\".72c\">";

    private SceneQuestions() {
    }

    public static List<VideoMmeQuestion> questions(Scene scene, Random rng) {
        List<VideoMmeQuestion> out = new ArrayList<>();
        List<Kind> kinds = new ArrayList<>();
        if (scene.hasSubtitles()) {
            kinds.addAll(List.of(Kind.COUNT, Kind.DIRECTION, Kind.SUBTITLE));
        } else {
            kinds.addAll(List.of(Kind.COLOUR, Kind.COUNT, Kind.DIRECTION, Kind.ORDER));
            if (scene.shapes().size() < 2) {
                kinds.remove(Kind.ORDER);
            }
            while (kinds.size() > 3) {
                kinds.remove(rng.nextInt(kinds.size()));
            }
        }
        for (Kind k : kinds) {
            out.add(question(scene, k, scene.videoId() + "-" + (out.size() + 1), rng));
        }
        return out;
    }

    private enum Kind { COLOUR, COUNT, DIRECTION, ORDER, SUBTITLE }

    private static VideoMmeQuestion question(Scene scene, Kind kind, String id, Random rng) {
        List<SceneShape> shapes = scene.shapes();
        SceneShape first = shapes.get(0);
        return switch (kind) {
            case COLOUR -> choice(id, "Attribute Perception", "What colour is the first shape to appear?",
                    cap(first.colour()), fixed(ScenePlanner.COLOURS, SceneQuestions::cap),
                    "The first shape is " + first.colour() + ".");
            case COUNT -> {
                int n = shapes.size();
                yield choice(id, "Counting Problem", "How many shapes appear in the video?", NUMBERS.get(n - 1),
                        NUMBERS, NUMBERS.get(n - 1) + (n == 1 ? " shape appears." : " shapes appear."));
            }
            case DIRECTION -> {
                SceneShape s = shapes.get(rng.nextInt(shapes.size()));
                List<String> dirs = new ArrayList<>();
                for (SceneShape.Direction d : SceneShape.Direction.values()) {
                    dirs.add(cap(d.word()));
                }
                yield choice(id, "Spatial Perception", "In which direction does the " + s.name() + " move?",
                        cap(s.direction().word()), dirs, "The " + s.name() + " moves " + s.direction().word() + ".");
            }
            case ORDER -> {
                SceneShape last = shapes.get(shapes.size() - 1);
                List<String> names = new ArrayList<>();
                for (String c : ScenePlanner.COLOURS) {
                    names.add("The " + c + " " + last.form());
                }
                yield choice(id, "Temporal Perception", "Which shape appears last?", "The " + last.name(), names,
                        "The " + last.name() + " appears last.");
            }
            case SUBTITLE -> {
                String word = scene.secretWord().orElseThrow();
                List<String> words = new ArrayList<>(others(ScenePlanner.SECRET_WORDS, cap(word), rng,
                        SceneQuestions::cap));
                words.add(cap(word));
                Collections.sort(words);
                yield choice(id, "Information Synopsis", "What is the secret word mentioned in the subtitles?",
                        cap(word), words, secretLine(word));
            }
        };
    }

    /** Three distractors drawn from {@code pool} (without the answer), formatted. */
    private static List<String> others(List<String> pool, String answer, Random rng,
                                       java.util.function.Function<String, String> format) {
        List<String> rest = new ArrayList<>();
        for (String p : pool) {
            String f = format.apply(p);
            if (!f.equals(answer) && !rest.contains(f)) {
                rest.add(f);
            }
        }
        Collections.shuffle(rest, rng);
        return rest.subList(0, 3);
    }

    private static List<String> fixed(List<String> pool, java.util.function.Function<String, String> format) {
        return pool.stream().map(format).toList();
    }

    /** A question whose four options are {@code all}, in that order; {@code answer} is one of them. */
    private static VideoMmeQuestion choice(String id, String task, String text, String answer, List<String> all,
                                           String sentence) {
        int at = all.indexOf(answer);
        if (all.size() != 4 || at < 0) {
            throw new IllegalStateException("four options holding the answer needed: " + all + " / " + answer);
        }
        List<String> options = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            options.add((char) ('A' + i) + ". " + all.get(i) + ".");
        }
        return new VideoMmeQuestion(id, task, text, options, String.valueOf((char) ('A' + at)), Optional.of(sentence));
    }

    /**
     * Narrator lines that state nothing any question asks: no colour, count, direction, shape or order; the words
     * are from the data set's own text, so a tokenizer trained on older sets has them.
     */
    static final List<String> NARRATION = List.of("This is the video.", "The video shows the screen.",
            "Play the video to the end.", "It is about the video.");

    /** Seconds between narrator lines, and how long each stays. */
    private static final double NARRATION_EVERY = 4;
    private static final double NARRATION_FOR = 2;

    /**
     * The subtitle track: the secret word at mid-video for three seconds, and a narrator line every four seconds
     * from the start (two seconds each, none overlapping the secret word). The track is a function of the video's
     * length, id and secret word only, so neither its lines nor their number or timing tell what the video shows:
     * only the subtitle question is answered by it.
     */
    public static List<SubtitleCue> subtitles(Scene scene) {
        List<SubtitleCue> cues = new ArrayList<>();
        double mid = scene.seconds() / 2.0;
        double secretEnd = Math.min(scene.seconds(), mid + 3);
        scene.secretWord().ifPresent(w -> cues.add(new SubtitleCue(mid, secretEnd, secretLine(w))));
        int first = Math.floorMod(scene.videoId().hashCode(), NARRATION.size());
        int line = 0;
        for (double t = 0; t + NARRATION_FOR <= scene.seconds(); t += NARRATION_EVERY, line++) {
            double end = t + NARRATION_FOR;
            if (scene.hasSubtitles() && t < secretEnd && end > mid) {
                continue;
            }
            cues.add(new SubtitleCue(t, end, NARRATION.get((first + line) % NARRATION.size())));
        }
        cues.sort(java.util.Comparator.comparingDouble(SubtitleCue::startSeconds));
        return cues;
    }

    /** The track as Video-MME ships it: SRT with every text line wrapped in {@code <font ...>}. */
    public static String srt(List<SubtitleCue> cues) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cues.size(); i++) {
            SubtitleCue c = cues.get(i);
            b.append(i + 1).append('\n').append(time(c.startSeconds())).append(" --> ").append(time(c.endSeconds()))
                    .append('\n').append(FONT).append(c.text()).append("</font>\n\n");
        }
        return b.toString();
    }

    static String secretLine(String word) {
        return "The secret word is " + word + ".";
    }

    private static String time(double seconds) {
        long ms = Math.round(seconds * 1000);
        return String.format(Locale.ROOT, "%02d:%02d:%02d,%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60,
                ms % 1000);
    }

    private static String cap(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
