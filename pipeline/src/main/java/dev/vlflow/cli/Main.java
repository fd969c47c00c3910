package dev.vlflow.cli;

import dev.vlflow.pipeline.stream.ConsoleLogging;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code vlflow} command line. */
@Command(name = "vlflow", mixinStandardHelpOptions = true, version = "vlflow 0.1.0",
        description = {"Question answering over video with vision-language models, as streaming dataflow on Apache Flink.",
                "Logs are quiet (errors only) unless --verbose is given anywhere on the line."},
        subcommands = {MakeModelCommand.class, EvalCommand.class, MakeDatasetCommand.class, AskCommand.class,
                ExportTrainingDataCommand.class, ExportTrainingDataCommand.EngineLogitsCommand.class,
                ExportTrainingDataCommand.TrainingBaseCommand.class,
                DemoCommand.class, StreamCommand.class, ClusterCommand.class, SubmitCommand.class,
                AttentionStatsCommand.class, FitDraftHeadCommand.class})
public final class Main {

    /** The flag, accepted anywhere on the command line, that lets library INFO logs through. */
    static final String VERBOSE = "--verbose";

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (for tests). */
    public static int run(String... args) {
        // quiet for every command unless --verbose (anywhere on the line): libraries log errors only
        List<String> rest = new ArrayList<>(List.of(args));
        if (rest.remove(VERBOSE)) {
            ConsoleLogging.configureVerbose();
        } else {
            ConsoleLogging.configure();
        }
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
        return cli.execute(rest.toArray(String[]::new));
    }
}
