package dev.vlflow.engine.runtime;

/** Which rows of a forward pass need logits: only the last token (prefill, plain decoding) or every token (verification). */
public enum LogitRows {
    LAST, ALL
}
