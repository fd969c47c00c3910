package dev.vlflow.cli;

/**
 * A top-level {@code vlflow} subcommand contributed by a module above the pipeline (benchmarks), found with
 * {@link java.util.ServiceLoader} so that arrows keep pointing down the module list.
 */
public interface CliExtension {

    /** A picocli-annotated command object ({@code @Command(name = ...)}). */
    Object command();
}
