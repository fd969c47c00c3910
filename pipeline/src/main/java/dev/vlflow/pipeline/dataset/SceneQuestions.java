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
 * track of scenes that have one.
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
 */
public final class SceneQuestions {

    private static final List<String> NUMBERS = List.of("One", "Two", "Three", "Four", "Five");
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
                    cap(first.colour()), others(ScenePlanner.COLOURS, first.colour(), rng, SceneQuestions::cap),
                    "The first shape is " + first.colour() + ".", rng);
            case COUNT -> {
                int n = shapes.size();
                yield choice(id, "Counting Problem", "How many shapes appear in the video?", NUMBERS.get(n - 1),
                        others(NUMBERS.subList(0, 5), NUMBERS.get(n - 1), rng, s -> s),
                        NUMBERS.get(n - 1) + (n == 1 ? " shape appears." : " shapes appear."), rng);
            }
            case DIRECTION -> {
                SceneShape s = shapes.get(rng.nextInt(shapes.size()));
                List<String> dirs = new ArrayList<>();
                for (SceneShape.Direction d : SceneShape.Direction.values()) {
                    dirs.add(cap(d.word()));
                }
                yield choice(id, "Spatial Perception", "In which direction does the " + s.name() + " move?",
                        cap(s.direction().word()), others(dirs, cap(s.direction().word()), rng, x -> x),
                        "The " + s.name() + " moves " + s.direction().word() + ".", rng);
            }
            case ORDER -> {
                SceneShape last = shapes.get(shapes.size() - 1);
                List<String> names = new ArrayList<>();
                for (String c : ScenePlanner.COLOURS) {
                    names.add("The " + c + " " + last.form());
                }
                yield choice(id, "Temporal Perception", "Which shape appears last?", "The " + last.name(),
                        others(names, "The " + last.name(), rng, x -> x), "The " + last.name() + " appears last.",
                        rng);
            }
            case SUBTITLE -> {
                String word = scene.secretWord().orElseThrow();
                yield choice(id, "Information Synopsis", "What is the secret word mentioned in the subtitles?",
                        cap(word), others(ScenePlanner.SECRET_WORDS, word, rng, SceneQuestions::cap),
                        secretLine(word), rng);
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

    private static VideoMmeQuestion choice(String id, String task, String text, String answer, List<String> wrong,
                                           String sentence, Random rng) {
        List<String> all = new ArrayList<>(wrong);
        int at = rng.nextInt(4);
        all.add(at, answer);
        List<String> options = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            options.add((char) ('A' + i) + ". " + all.get(i) + ".");
        }
        return new VideoMmeQuestion(id, task, text, options, String.valueOf((char) ('A' + at)), Optional.of(sentence));
    }

    /** The subtitle track: each appearance narrated for two seconds, and the secret word at mid-video. */
    public static List<SubtitleCue> subtitles(Scene scene) {
        List<SubtitleCue> cues = new ArrayList<>();
        for (SceneShape s : scene.shapes()) {
            double start = s.appearSeconds();
            String article = "aeiou".indexOf(s.name().charAt(0)) >= 0 ? "An " : "A ";
            cues.add(new SubtitleCue(start, Math.min(scene.seconds(), start + 2), article + s.name() + " appears."));
        }
        scene.secretWord().ifPresent(w -> {
            double mid = scene.seconds() / 2.0;
            cues.add(new SubtitleCue(mid, Math.min(scene.seconds(), mid + 3), secretLine(w)));
        });
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
