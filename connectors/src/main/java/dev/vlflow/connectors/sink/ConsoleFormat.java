package dev.vlflow.connectors.sink;

import java.io.Serializable;

/** How a {@link ConsoleSink} shows records; the renderer may keep state (one per writer). */
@FunctionalInterface
public interface ConsoleFormat<T> extends Serializable {

    Renderer<T> renderer();

    /** Text to print for a record, exactly (include line breaks where wanted). */
    @FunctionalInterface
    interface Renderer<T> {
        String render(T record);
    }
}
