package dev.vlflow.cli;

import dev.vlflow.conf.KafkaOptions;
import dev.vlflow.conf.KafkaSpec;
import dev.vlflow.pipeline.stream.ConsoleLogging;
import dev.vlflow.pipeline.stream.KafkaIo;
import dev.vlflow.pipeline.stream.LocalRunner;
import dev.vlflow.pipeline.stream.RunConfiguration;
import dev.vlflow.pipeline.stream.SessionMetricsReporter;
import dev.vlflow.pipeline.stream.StreamIo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code vlflow stream}: the streaming job on an embedded MiniCluster, over JSONL events a user provides or Kafka
 * topics ({@code --kafka}, or {@code vlflow.kafka.bootstrap-servers} in the configuration).
 */
@Command(name = "stream", mixinStandardHelpOptions = true,
        description = {"Runs the streaming question-answering job on an embedded Flink MiniCluster over JSONL events "
                + "(--input) or Kafka topics (--kafka).",
            "Input lines: {\"type\":\"segment\",\"stream\":\"cam-1\",\"sequence\":0,\"uri\":\"clip.mp4\","
                    + "\"start\":0,\"end\":2} and {\"type\":\"question\",\"stream\":\"cam-1\",\"id\":\"q1\","
                    + "\"text\":\"...\",\"after\":0}. Relative video paths are resolved against the JSONL file.",
            "Writes answers/ (tokens, then each answer with its statistics) and dead-letters/ under --output.",
            "With --kafka: reads Avro InputRecords from vlflow.kafka.input-topic (default vlflow.events) and writes "
                    + "Avro AnswerEvents and PipelineErrors to vlflow.kafka.answers-topic and "
                    + "vlflow.kafka.dead-letters-topic, exactly once (read them with isolation.level=read_committed)."})
final class StreamCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--input", description = "a JSONL file, or a directory of *.jsonl files")
    Path input;

    @Option(names = "--kafka", paramLabel = "BOOTSTRAP", description = "read and write Kafka topics at these "
            + "brokers (host:port,...) instead of files: sets vlflow.kafka.bootstrap-servers")
    String kafka;

    @Option(names = "--until-end", description = "with Kafka: stop at the input offsets found at start, answer, "
            + "commit and finish (sets vlflow.kafka.stop=at_end); default: run until Ctrl-C")
    boolean untilEnd;

    @Option(names = "--output", description = "output directory (default: <vlflow home>/.vlflow/stream); with "
            + "Kafka it holds the checkpoints only")
    Path output;

    @Option(names = "--model", description = "model checkpoint directory (default: vlflow.model.path of the "
            + "configuration, else <vlflow home>/.vlflow/models/tiny-random)")
    Path model;

    @Option(names = "--follow", description = "keep watching the input directory for new files (until Ctrl-C)")
    boolean follow;

    @Option(names = "--poll", defaultValue = "PT0.5S", description = "how often --follow looks for new files "
            + "(ISO-8601 duration, default ${DEFAULT-VALUE})")
    Duration poll;

    @Option(names = "--config", description = "Flink 2 YAML configuration file (over the bundled defaults)")
    Path config;

    @Option(names = "--conf", description = "configuration override key=value (repeatable), e.g. "
            + "--conf vlflow.kv.budget-tokens=512")
    Map<String, String> conf = new LinkedHashMap<>();

    @Option(names = "--parallelism", defaultValue = "1", description = "operator parallelism (default 1)")
    int parallelism;

    @Option(names = "--quiet", description = "do not print answers as they stream")
    boolean quiet;

    @Option(names = "--metrics", arity = "0..1", fallbackValue = "PT10S", description = "print the session "
            + "operators' metrics (tokens/s, time to first token, batch, queue, KV bytes, kept ratio, draft "
            + "acceptance, dead letters) to stderr every INTERVAL (ISO-8601, default PT10S) and when the job ends")
    Duration metrics;

    @Override
    public Integer call() throws Exception {
        ConsoleLogging.configure();
        Path home = DemoCommand.home();
        Path out = output != null ? output : home.resolve(".vlflow").resolve("stream");
        Optional<Path> modelDir = Optional.ofNullable(model);
        if (modelDir.isEmpty() && !conf.containsKey("vlflow.model.path")) {
            Path tiny = home.resolve(".vlflow").resolve("models").resolve("tiny-random");
            if (java.nio.file.Files.isDirectory(tiny)) {
                modelDir = Optional.of(tiny);
            }
        }
        if (metrics != null) {
            conf.putAll(SessionMetricsReporter.configuration(metrics));
        }
        if (kafka != null) {
            conf.put(KafkaOptions.BOOTSTRAP_SERVERS.key(), kafka);
        }
        if (untilEnd) {
            conf.put(KafkaOptions.STOP.key(), KafkaSpec.Stop.AT_END.name());
        }
        var configuration = RunConfiguration.of(Optional.ofNullable(config), conf, modelDir, parallelism,
                out.resolve("checkpoints"));
        Optional<KafkaSpec> kafkaSpec = KafkaOptions.read(configuration);
        if (kafkaSpec.isPresent()) {
            if (input != null || follow) {
                throw new ParameterException(spec.commandLine(), "--input/--follow read files; with Kafka ("
                        + KafkaOptions.BOOTSTRAP_SERVERS.key() + ") the input is the topic "
                        + kafkaSpec.get().inputTopic());
            }
            KafkaSpec k = kafkaSpec.get();
            System.out.println("vlflow stream: kafka " + k.bootstrapServers() + " " + k.inputTopic() + " -> "
                    + k.answersTopic() + ", " + k.deadLettersTopic()
                    + (k.stop() == KafkaSpec.Stop.NEVER ? " (Ctrl-C to stop)" : " (until the end offsets)"));
            LocalRunner.run(configuration, new KafkaIo(k, !quiet));
            return 0;
        }
        if (input == null) {
            throw new ParameterException(spec.commandLine(), "give --input FILE|DIR (JSONL) or --kafka BOOTSTRAP");
        }
        if (untilEnd) {
            throw new ParameterException(spec.commandLine(), "--until-end applies to Kafka input only");
        }
        StreamIo io = new StreamIo(input.toAbsolutePath(), follow ? Optional.of(poll) : Optional.empty(), out,
                !quiet);
        System.out.println("vlflow stream: " + input + " -> " + out + (follow ? " (following; Ctrl-C to stop)" : ""));
        LocalRunner.run(configuration, io);
        if (metrics != null) {
            SessionMetricsReporter.awaitClosed(java.time.Duration.ofSeconds(30)); // the final metrics line
        }
        System.out.println("answers in " + io.answers() + ", dead letters in " + io.deadLetters());
        return 0;
    }
}
