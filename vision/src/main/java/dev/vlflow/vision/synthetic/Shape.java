package dev.vlflow.vision.synthetic;

import java.time.Duration;
import java.util.Objects;

/**
 * A filled shape that moves in a straight line at constant speed while it is visible.
 *
 * @param form    rectangle or ellipse (inscribed in the width × height box)
 * @param colour  fill colour
 * @param width   box width in pixels
 * @param height  box height in pixels
 * @param x       left edge of the box when the shape appears
 * @param y       top edge of the box when the shape appears
 * @param vx      horizontal speed, pixels per second
 * @param vy      vertical speed, pixels per second
 * @param appear  first moment the shape is visible
 * @param vanish  first moment it is no longer visible
 */
public record Shape(Form form, Rgb colour, int width, int height, double x, double y, double vx, double vy,
                    Duration appear, Duration vanish) {

    /** How a shape fills its box. */
    public enum Form { RECTANGLE, ELLIPSE }

    public Shape {
        Objects.requireNonNull(form, "form");
        Objects.requireNonNull(colour, "colour");
        Objects.requireNonNull(appear, "appear");
        Objects.requireNonNull(vanish, "vanish");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("shape size must be positive");
        }
        if (vanish.compareTo(appear) <= 0) {
            throw new IllegalArgumentException("a shape must vanish after it appears");
        }
    }

    /** A rectangle visible for the whole video. */
    public static Shape rectangle(Rgb colour, int width, int height, double x, double y, double vx, double vy) {
        return new Shape(Form.RECTANGLE, colour, width, height, x, y, vx, vy, Duration.ZERO,
                Duration.ofDays(365));
    }

    /** The same shape, visible only from {@code from} until {@code until}. */
    public Shape during(Duration from, Duration until) {
        return new Shape(form, colour, width, height, x, y, vx, vy, from, until);
    }

    /** Whether the shape is visible at {@code micros}. */
    public boolean visibleAt(long micros) {
        return micros >= appear.toNanos() / 1000 && micros < vanish.toNanos() / 1000;
    }

    /** Left edge at {@code micros} (rounded to a pixel). */
    public int leftAt(long micros) {
        return (int) Math.round(x + vx * secondsSinceAppear(micros));
    }

    /** Top edge at {@code micros} (rounded to a pixel). */
    public int topAt(long micros) {
        return (int) Math.round(y + vy * secondsSinceAppear(micros));
    }

    private double secondsSinceAppear(long micros) {
        return (micros - appear.toNanos() / 1000) / 1e6;
    }

    /** Whether pixel (px, py) is inside the shape placed at (left, top). */
    boolean covers(int left, int top, int px, int py) {
        if (px < left || py < top || px >= left + width || py >= top + height) {
            return false;
        }
        if (form == Form.RECTANGLE) {
            return true;
        }
        double dx = (px + 0.5 - left - width / 2.0) / (width / 2.0);
        double dy = (py + 0.5 - top - height / 2.0) / (height / 2.0);
        return dx * dx + dy * dy <= 1;
    }
}
