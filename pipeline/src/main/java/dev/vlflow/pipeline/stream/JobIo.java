package dev.vlflow.pipeline.stream;

/**
 * Where the streaming job reads its events and writes its answers and dead letters: JSONL files
 * ({@link StreamIo}) or Kafka topics ({@link KafkaIo}). Chosen once, from the command line or the configuration.
 */
public sealed interface JobIo permits StreamIo, KafkaIo {

    /** Whether answers are also printed as they stream (stdout), and dead letters (stderr). */
    boolean console();
}
