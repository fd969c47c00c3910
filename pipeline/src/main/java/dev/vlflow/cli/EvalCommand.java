package dev.vlflow.cli;

import dev.vlflow.conf.ModelSpec;
import dev.vlflow.conf.ZipVlSpec;
import dev.vlflow.connectors.videomme.AnswerExtraction;
import dev.vlflow.connectors.videomme.PromptStyle;
import dev.vlflow.connectors.videomme.Scoreboard;
import dev.vlflow.connectors.videomme.VideoMmeFiles;
import dev.vlflow.connectors.videomme.Tally;
import dev.vlflow.engine.VlModel;
import dev.vlflow.operators.model.EngineSettings;
import dev.vlflow.pipeline.eval.EvalOptions;
import dev.vlflow.pipeline.eval.EvalOutputs;
import dev.vlflow.pipeline.eval.EvalReport;
import dev.vlflow.pipeline.eval.EvalRequest;
import dev.vlflow.pipeline.eval.FlinkEvalJob;
import dev.vlflow.pipeline.eval.PlainEvalRunner;
import dev.vlflow.pipeline.eval.RunResult;
import dev.vlflow.pipeline.eval.RunSummaryJson;
import dev.vlflow.pipeline.eval.VisionFrameSamplers;
import dev.vlflow.pipeline.progress.ProgressDisplay;
import dev.vlflow.vision.preprocess.ResizeMethod;
import dev.vlflow.pipeline.stream.ConsoleLogging;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vlflow eval}: benchmark evaluations and their reports. */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluate a model on a benchmark.",
        subcommands = {EvalCommand.VideoMme.class, EvalCommand.Report.class})
final class EvalCommand {

    /** {@code vlflow eval videomme}: the bounded Video-MME evaluation. */
    @Command(name = "videomme", mixinStandardHelpOptions = true,
            description = "Video-MME: per video, sample and encode frames, prefill once, answer its questions on forks"
                    + " of that cache (greedy, official letter extraction); score under the official and lmms-eval"
                    + " rules; write predictions, the official results file and a report. Reruns resume.")
    static final class VideoMme implements Callable<Integer> {

        @Option(names = "--annotations", required = true,
                description = "official JSON (one object per video) or Hugging Face parquet (one row per question)")
        Path annotations;

        @Option(names = "--videos", required = true, description = "directory of the video files, or the data"
                + " set's root (its video/, data/ or videos/ is found)")
        Path videos;

        @Option(names = "--model", required = true, description = "checkpoint directory")
        Path model;

        @Option(names = "--frames", defaultValue = "32", description = "frames sampled uniformly per video "
                + "(default: ${DEFAULT-VALUE})")
        int frames;

        @Option(names = "--resize", defaultValue = "hf", description = "frame resizing: hf (torchvision's antialiased"
                + " bicubic, as Hugging Face's processors) or opencv (faster, not antialiased) (default:"
                + " ${DEFAULT-VALUE})")
        String resize;

        @Option(names = "--subtitles", description = "put the subtitle lines aligned to the sampled frames in the prompt")
        boolean subtitles;

        @Option(names = "--subtitle-dir", description = "where the .srt files are (default: next to the videos or in a"
                + " sibling subtitle/ directory)")
        Path subtitleDir;

        @Option(names = "--limit", description = "only the first N questions")
        Integer limit;

        @Option(names = "--out", defaultValue = "videomme-eval", description = "output directory (default: "
                + "${DEFAULT-VALUE})")
        Path out;

        @Option(names = "--json", description = "end with one line: the JSON summary")
        boolean json;

        @Option(names = "--overwrite", description = "delete an earlier run's files in --out and start afresh (without"
                + " it a rerun resumes only when model, data set, frames, prompt, extraction and the other"
                + " answer-changing settings match the run recorded in --out/run.json, and is refused otherwise)")
        boolean overwrite;

        @Option(names = "--prompt", defaultValue = "official", description = "official | lmms-eval")
        String prompt;

        @Option(names = "--extract", defaultValue = "official", description = "answer-letter extraction: official"
                + " (eval_your_results.py, June 2024; also lmms-eval's until April 2026), lmms-eval-2024 (the same"
                + " rule), lmms-eval-2026 (lmms-eval's extract_mcq_answer) or parse-answer (the parse_answer"
                + " repository's eval_your_results.py: also strips Answer:, Option:, The correct answer/option)"
                + " (default ${DEFAULT-VALUE})")
        String extract;

        @Option(names = "--no-prefix-sharing", description = "prefill the video again for every question (baseline)")
        boolean noPrefixSharing;

        @Option(names = "--max-new-tokens", defaultValue = "16", description = "generation limit (default: "
                + "${DEFAULT-VALUE}, as both reference harnesses)")
        int maxNewTokens;

        @Option(names = "--parallelism", defaultValue = "1", description = "videos evaluated at once (Flink slots)")
        int parallelism;

        @Option(names = "--runner", defaultValue = "flink", description = "flink (bounded job on a MiniCluster) |"
                + " plain (threads over the engine API)")
        String runner;

        @Option(names = "--task-types", split = ",", description = "only questions of these task types, e.g. "
                + "\"Attribute Perception,Counting Problem,Spatial Perception\" (default: all)")
        java.util.List<String> taskTypes = java.util.List.of();

        @picocli.CommandLine.Mixin
        DecodingFlags decoding = new DecodingFlags();

        @Option(names = "--label", description = "the run's name in reports")
        String label;

        @Option(names = "--zipvl", defaultValue = "off", description = "ZipVL sparse prefill with a mixed 4/2 KV "
                + "cache: off, on (tau 0.975, 64 + 64 probes, layer 0 dense) or on:TAU (default ${DEFAULT-VALUE})")
        String zipvl;

        @Option(names = "--zipvl-dense-layers", split = ",", description = "with --zipvl: layers kept dense "
                + "(default 0)")
        List<Integer> zipvlDenseLayers;

        @Option(names = "--zipvl-probes", defaultValue = "chunk", description = "with --zipvl: what ranks the video "
                + "tokens: chunk (each prefill chunk's own last rows; the video is prefilled once for all its "
                + "questions) or question (the question's rows, as in the ZipVL paper: each question's whole prompt is "
                + "one block; needs --no-prefix-sharing) (default ${DEFAULT-VALUE})")
        String zipvlProbes;

        @Option(names = "--zipvl-drop", defaultValue = "0", description = "with --zipvl: progressive token dropping "
                + "(lossy) after K consecutive unimportant layers; 0 = off (default ${DEFAULT-VALUE})")
        int zipvlDrop;

        @Option(names = "--weights", defaultValue = "fp32", description = "precision of the decoder's linear "
                + "layers and LM head: fp32, int8 or int4, quantized at load (default ${DEFAULT-VALUE})")
        String weights;

        @Option(names = "--kv", description = "KV cache precision: fp32, 16, 8, 4, 2, mixed (4/2) or mixed:H/L "
                + "(default fp32, or mixed with --zipvl on)")
        String kv;

        private ZipVlSpec zipVlSpec() {
            ZipVlSpec spec = ZipVlSpec.parse(zipvl);
            if (zipvlDrop < 0) {
                throw new IllegalArgumentException("--zipvl-drop must be 0 (off) or a number of layers, not "
                        + zipvlDrop);
            }
            if (zipvlDrop > 0 && !(spec instanceof ZipVlSpec.On)) {
                throw new IllegalArgumentException("--zipvl-drop needs --zipvl on");
            }
            spec = spec.withDropAfter(zipvlDrop);
            boolean question = switch (zipvlProbes) {
                case "chunk" -> false;
                case "question" -> true;
                default -> throw new IllegalArgumentException("--zipvl-probes is chunk or question, not '"
                        + zipvlProbes + "'");
            };
            if (question && !(spec instanceof ZipVlSpec.On)) {
                throw new IllegalArgumentException("--zipvl-probes question needs --zipvl on");
            }
            spec = spec.withQuestionProbes(question);
            return zipvlDenseLayers == null ? spec : spec.withDenseLayers(zipvlDenseLayers);
        }

        @Override
        public Integer call() throws Exception {
            ConsoleLogging.configure(); // Flink's INFO chatter off: progress lines stay readable
            VisionFrameSamplers samplers = new VisionFrameSamplers(ResizeMethod.parse(resize)).within(videos);
            EvalOptions options = new EvalOptions(frames, subtitles, PromptStyle.parse(prompt), !noPrefixSharing,
                    maxNewTokens).withZipVl(zipVlSpec()).withSpeculation(decoding.speculation())
                    .withWeights(weights).withExtraction(AnswerExtraction.parse(extract));
            if (kv != null) {
                options = options.withKv(kv);
            }
            EvalRequest request = new EvalRequest(annotations, VideoMmeFiles.videoDirectory(videos), Optional.ofNullable(subtitleDir), model,
                    options, limit == null ? OptionalInt.empty() : OptionalInt.of(limit), out, parallelism,
                    Optional.ofNullable(label), java.util.Set.copyOf(taskTypes),
                    overwrite ? EvalRequest.ExistingRun.OVERWRITE : EvalRequest.ExistingRun.RESUME_IF_SAME);
            ProgressDisplay bars = json ? ProgressDisplay.none() : ProgressDisplay.auto();
            RunResult result = switch (runner.toLowerCase(Locale.ROOT)) {
                case "flink" -> new FlinkEvalJob(samplers, System.err, bars).run(request);
                case "plain" -> {
                    ModelSpec spec = options.modelSpec(model.toString());
                    try (VlModel m = VlModel.load(model, EngineSettings.engineOptions(spec))) {
                        yield new PlainEvalRunner(samplers, System.err, bars).run(request, m);
                    }
                }
                default -> throw new IllegalArgumentException("unknown runner '" + runner + "' (flink or plain)");
            };
            printTable(result);
            System.out.println("wrote " + out.resolve("predictions.jsonl") + ", " + out.resolve(EvalOutputs.RESULTS)
                    + ", " + out.resolve("report.md") + ", " + out.resolve("report.html"));
            if (json) {
                System.out.println(RunSummaryJson.line(result));
            }
            return result.failures().isEmpty() ? 0 : 2;
        }
    }

    /** {@code vlflow eval report}: several finished runs side by side. */
    @Command(name = "report", mixinStandardHelpOptions = true,
            description = "Compare finished Video-MME runs (their --out directories) in one Markdown/HTML report.")
    static final class Report implements Callable<Integer> {

        @Option(names = "--runs", required = true, arity = "1..*", description = "output directories of eval runs")
        List<Path> runs;

        @Option(names = "--out", required = true, description = "where report.md and report.html go")
        Path out;

        @Override
        public Integer call() {
            List<RunResult> loaded = new ArrayList<>();
            for (Path dir : runs) {
                loaded.add(EvalOutputs.load(dir));
            }
            new EvalReport(loaded).write(out);
            loaded.forEach(EvalCommand::printTable);
            System.out.println("wrote " + out.resolve("report.md") + ", " + out.resolve("report.html"));
            return 0;
        }
    }

    static void printTable(RunResult r) {
        Scoreboard off = r.official();
        Scoreboard lmms = r.lmmsEval();
        System.out.printf(Locale.ROOT, "%s: %d questions, %d unparseable%n", r.settings().label(),
                r.predictions().size(), r.unparseable());
        System.out.printf(Locale.ROOT, "  %-10s %-22s %-22s%n", "", "official", "lmms-eval");
        row("overall", off.overall(), lmms.overall());
        off.byDurationOrdered().forEach((d, t) -> row(d.label(), t, lmms.byDuration().get(d)));
        System.out.printf(Locale.ROOT, "  questions/min %.2f, prefix prefills %d, mean context %.0f tokens,"
                        + " mean KV %.2f MiB%n", r.stats().questionsPerMinute(), r.stats().prefixPrefills(),
                r.stats().meanContextTokens(), r.stats().meanKvBytes() / 1048576.0);
    }

    private static void row(String name, Tally official, Tally lmms) {
        System.out.printf(Locale.ROOT, "  %-10s %-22s %-22s%n", name, cell(official), cell(lmms));
    }

    private static String cell(Tally t) {
        return t.formatted() + " (" + t.correct() + "/" + t.answered() + ")";
    }
}
