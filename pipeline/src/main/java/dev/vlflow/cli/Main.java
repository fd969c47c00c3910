package dev.vlflow.cli;

import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code vlflow} command line. */
@Command(name = "vlflow", mixinStandardHelpOptions = true, version = "vlflow 0.1.0",
        description = "Question answering over video with vision-language models, as streaming dataflow on Apache Flink.",
        subcommands = {MakeModelCommand.class, EvalCommand.class, MakeDatasetCommand.class, AskCommand.class,
                ExportTrainingDataCommand.class, ExportTrainingDataCommand.EngineLogitsCommand.class,
                ExportTrainingDataCommand.TrainingBaseCommand.class,
                DemoCommand.class, StreamCommand.class, AttentionStatsCommand.class, FitDraftHeadCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (for tests). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        for (CliExtension extension : ServiceLoader.load(CliExtension.class)) {
            cli.addSubcommand(extension.command());
        }
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("vlflow: " + ex.getMessage());
            if (System.getenv("VLFLOW_DEBUG") != null) {
                ex.printStackTrace(commandLine.getErr());
            }
            return 1;
        });
        return cli.execute(args);
    }
}
