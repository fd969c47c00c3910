package dev.vlflow.connectors.sink;

import java.io.Serializable;

/** Turns a record into one line of text (no line terminator). */
@FunctionalInterface
public interface LineEncoder<T> extends Serializable {

    String encode(T record);
}
