package dev.vlflow.connectors.sink;

import java.io.PrintStream;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/** Prints records to the process's standard output or error as they arrive (at least once; for people). */
public final class ConsoleSink<T> implements Sink<T> {

    private static final long serialVersionUID = 1L;

    /** Which stream to print to. */
    public enum Target { STDOUT, STDERR }

    private final ConsoleFormat<T> format;
    private final Target target;

    public ConsoleSink(ConsoleFormat<T> format, Target target) {
        this.format = format;
        this.target = target;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        PrintStream stream = target == Target.STDOUT ? System.out : System.err;
        ConsoleFormat.Renderer<T> renderer = format.renderer();
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context ctx) {
                stream.print(renderer.render(element));
                stream.flush();
            }

            @Override
            public void flush(boolean endOfInput) {
                stream.flush();
            }

            @Override
            public void close() {
                stream.flush();
            }
        };
    }
}
