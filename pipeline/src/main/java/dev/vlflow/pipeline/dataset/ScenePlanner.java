package dev.vlflow.pipeline.dataset;

import dev.vlflow.connectors.videomme.DurationClass;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

/**
 * Plans the scenes of the synthetic set from a seed. Durations cycle short, medium, long (scaled down: 4-8 s,
 * 10-16 s, 20-30 s); each scene has 1-4 shapes of distinct colours that appear one after another in the first 60% of
 * the video and move in straight lines without leaving the frame; every third video (the 2nd, 5th, ...) has
 * subtitles that narrate the appearances and name a secret word.
 */
public final class ScenePlanner {

    /** Colour names the set uses; {@link SyntheticVideoMme#rgb} maps them to pixels. */
    public static final List<String> COLOURS = List.of("red", "green", "blue", "yellow");
    public static final List<String> FORMS = List.of("square", "circle");
    static final List<String> SECRET_WORDS = List.of("mango", "violet", "harbor", "pepper", "comet", "falcon",
            "maple", "tundra", "quartz", "lantern", "saffron", "glacier");
    private static final String[][] CATEGORIES = {{"Knowledge", "Geography"}, {"Film & Television", "Animation"},
        {"Sports Competition", "Other Sports"}, {"Artistic Performance", "Magic Show"}, {"Life Record", "Daily Life"},
        {"Multilingual", "Multilingual"}};

    private final int width;
    private final int height;
    private final double fps;

    /**
     * @param width  frame width (even)
     * @param height frame height (even)
     * @param fps    frame rate
     */
    public ScenePlanner(int width, int height, double fps) {
        if (width < 48 || height < 48 || !(fps > 0)) {
            throw new IllegalArgumentException("frames of at least 48x48 and a positive fps are needed");
        }
        this.width = width;
        this.height = height;
        this.fps = fps;
    }

    public List<Scene> plan(int videos, long seed) {
        if (videos <= 0) {
            throw new IllegalArgumentException("videos must be positive, got " + videos);
        }
        Random rng = new Random(seed);
        List<Scene> scenes = new ArrayList<>();
        for (int i = 0; i < videos; i++) {
            scenes.add(scene(i, rng));
        }
        return scenes;
    }

    private Scene scene(int index, Random rng) {
        DurationClass duration = DurationClass.values()[index % 3];
        int seconds = switch (duration) {
            case SHORT -> 4 + rng.nextInt(5);
            case MEDIUM -> 10 + rng.nextInt(7);
            case LONG -> 20 + rng.nextInt(11);
        };
        int count = 1 + rng.nextInt(4);
        List<String> colours = new ArrayList<>(COLOURS);
        Collections.shuffle(colours, rng);
        List<SceneShape> shapes = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            double appear = Math.round(k * seconds * 600.0 / count) / 1000.0; // whole milliseconds, as SRT holds
            shapes.add(shape(colours.get(k), FORMS.get(rng.nextInt(FORMS.size())), appear, seconds, rng));
        }
        String[] category = CATEGORIES[index % CATEGORIES.length];
        Optional<String> secret = index % 3 == 1
                ? Optional.of(SECRET_WORDS.get(rng.nextInt(SECRET_WORDS.size()))) : Optional.empty();
        return new Scene(String.format(Locale.ROOT, "%03d", index + 1), duration, seconds, fps, width, height,
                category[0], category[1], shapes, secret);
    }

    /**
     * A shape that travels 50-75% of the frame over its visible time and stays inside the frame: 1.8-2.8 token cells
     * at 4 x 4 tokens per frame (with 30-50% the tiny model the project trains learned direction more slowly, and
     * ended no better: what it gets wrong is which shape a question names, not the motion).
     */
    private SceneShape shape(String colour, String form, double appear, int seconds, Random rng) {
        int size = Math.max(8, Math.min(width, height) / 5);
        SceneShape.Direction dir = SceneShape.Direction.values()[rng.nextInt(4)];
        boolean horizontal = dir == SceneShape.Direction.LEFT || dir == SceneShape.Direction.RIGHT;
        int along = horizontal ? width : height;
        int across = horizontal ? height : width;
        double travel = along * (0.5 + 0.25 * rng.nextDouble());
        double speed = travel / (seconds - appear);
        double room = along - size - travel;
        double start = rng.nextDouble() * room;
        boolean backwards = dir == SceneShape.Direction.LEFT || dir == SceneShape.Direction.UP;
        double a = backwards ? start + travel : start;
        double c = rng.nextDouble() * (across - size);
        return new SceneShape(colour, form, dir, size, horizontal ? a : c, horizontal ? c : a, speed, appear);
    }
}
