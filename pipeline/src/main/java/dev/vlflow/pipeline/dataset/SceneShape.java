package dev.vlflow.pipeline.dataset;

import java.util.Locale;
import java.util.Objects;

/**
 * One shape of a synthetic scene, in words and numbers.
 *
 * @param colour    colour name ({@code red}, ...)
 * @param form      {@code square} or {@code circle}
 * @param direction where it moves
 * @param size      box side in pixels
 * @param x         left edge when it appears
 * @param y         top edge when it appears
 * @param speed     pixels per second along {@code direction}
 * @param appearSeconds when it appears (it stays to the end); shapes of a scene appear at distinct times
 */
public record SceneShape(String colour, String form, Direction direction, int size, double x, double y, double speed,
                         double appearSeconds) {

    /** Direction of motion in the picture (up = towards the top edge). */
    public enum Direction {
        LEFT, RIGHT, UP, DOWN;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public SceneShape {
        Objects.requireNonNull(colour, "colour");
        Objects.requireNonNull(form, "form");
        Objects.requireNonNull(direction, "direction");
    }

    /** "red square". */
    public String name() {
        return colour + " " + form;
    }

    public double vx() {
        return direction == Direction.LEFT ? -speed : direction == Direction.RIGHT ? speed : 0;
    }

    public double vy() {
        return direction == Direction.UP ? -speed : direction == Direction.DOWN ? speed : 0;
    }
}
