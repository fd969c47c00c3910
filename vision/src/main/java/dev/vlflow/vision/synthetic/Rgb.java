package dev.vlflow.vision.synthetic;

/** A colour, 0–255 per channel. */
public record Rgb(int r, int g, int b) {

    public static final Rgb BLACK = new Rgb(0, 0, 0);
    public static final Rgb WHITE = new Rgb(255, 255, 255);
    public static final Rgb GREY = new Rgb(128, 128, 128);
    public static final Rgb RED = new Rgb(220, 30, 30);
    public static final Rgb GREEN = new Rgb(30, 200, 30);
    public static final Rgb BLUE = new Rgb(30, 60, 220);
    public static final Rgb YELLOW = new Rgb(230, 220, 40);

    public Rgb {
        if ((r | g | b) < 0 || r > 255 || g > 255 || b > 255) {
            throw new IllegalArgumentException("channels must be in 0..255: " + r + "," + g + "," + b);
        }
    }

    /** Largest per-channel difference to another colour. */
    public int distance(Rgb other) {
        return Math.max(Math.abs(r - other.r), Math.max(Math.abs(g - other.g), Math.abs(b - other.b)));
    }
}
