package dev.vlflow.bench.decode;

import dev.vlflow.bench.Json;
import dev.vlflow.cli.ModelDirs;
import dev.vlflow.engine.EngineOptions;
import dev.vlflow.engine.VlModel;
import dev.vlflow.engine.decode.Decoding;
import dev.vlflow.engine.decode.DrafterSpec;
import dev.vlflow.engine.decode.LayerSkipping;
import dev.vlflow.engine.decode.SkipSource;
import dev.vlflow.engine.model.make.ModelPreset;
import dev.vlflow.engine.onnx.ExecutionProvider;
import dev.vlflow.pipeline.progress.Progress;
import dev.vlflow.pipeline.progress.ProgressDisplay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vlflow bench decode}: decode tokens/s of every drafter against plain greedy decoding in the same run, with
 * acceptance and mean accepted length, on the trained model's sentence answers and on answers that quote the
 * stream's text (each question asked twice, see {@link DecodeWorkload#repeated()}); whether every lossless drafter's output equalled greedy; and, on a checkpoint of a real
 * model's shape ({@code --large}, e.g. small-random = Qwen2-0.5B), the cost of verifying k = 1, 2, 4, 8 tokens in one
 * pass relative to one decode step. Every configuration runs {@code --rounds} times, interleaved, and keeps its fastest
 * run (the machine may be shared).
 */
@Command(name = "decode", mixinStandardHelpOptions = true,
        description = "Speculative decoding: drafters vs plain greedy tokens/s, acceptance, verification cost.")
public final class DecodeBench implements Callable<Integer> {

    @Option(names = "--model", description = "checkpoint for the drafter runs (default: the repository's tiny-trained)")
    Path model;

    @Option(names = "--large", description = "checkpoint of a real model's shape for the verification cost "
            + "(e.g. make-model --preset small-random); default: not measured")
    Path large;

    @Option(names = "--videos", defaultValue = "4", description = "synthetic videos (default ${DEFAULT-VALUE})")
    int videos;

    @Option(names = "--questions", defaultValue = "5", description = "questions per video (default ${DEFAULT-VALUE})")
    int questions;

    @Option(names = "--frames", defaultValue = "8", description = "frames per video (default ${DEFAULT-VALUE})")
    int frames;

    @Option(names = "--max-tokens", defaultValue = "32", description = "most tokens an answer (default ${DEFAULT-VALUE})")
    int maxTokens;

    @Option(names = "--draft-length", defaultValue = "8", description = "drafters' k (default ${DEFAULT-VALUE})")
    int draftLength;

    @Option(names = "--rounds", defaultValue = "5",
            description = "runs of every configuration, interleaved; each keeps its fastest (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--repeats", defaultValue = "9", description = "timed passes per block size on --large")
    int repeats;

    @Option(names = "--intra-op-threads", defaultValue = "1",
            description = "ONNX Runtime threads per call for --model (0 = all cores; default ${DEFAULT-VALUE}: on a "
                    + "model this small, waking worker threads for a multi-token pass costs more than the pass)")
    int intraOpThreads;

    @Option(names = "--json", description = "end with one line holding a JSON object of the figures")
    boolean json;

    /** The lossless drafters measured, by name. */
    private Map<String, Decoding> drafters() {
        Map<String, Decoding> d = new LinkedHashMap<>();
        d.put("prompt-lookup", Decoding.of(new DrafterSpec.PromptLookup(2, 3, draftLength, 1)));
        d.put("prompt-lookup-ref", Decoding.of(DrafterSpec.PromptLookup.of(draftLength)));
        d.put("layer-skip", Decoding.of(new DrafterSpec.LayerSkip(draftLength, SkipSource.Searched.defaults())));
        d.put("tree", Decoding.of(new DrafterSpec.Tree(draftLength, SkipSource.Searched.defaults(), 3)));
        return d;
    }

    @Override
    public Integer call() throws Exception {
        Path dir = ModelDirs.resolve(Optional.ofNullable(model), ModelPreset.TINY_TRAINED);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("model", dir.getFileName().toString());
        figures.put("intra_op_threads", intraOpThreads);
        boolean lossless = true;
        double best = 0;
        Path temp = Files.createTempDirectory("vlflow-bench-decode");
        DecodeRun.Clock clock = intraOpThreads == 1 ? DecodeRun.Clock.THREAD_CPU : DecodeRun.Clock.WALL;
        figures.put("clock", clock.name().toLowerCase(Locale.ROOT));
        try (VlModel vl = VlModel.load(dir, EngineOptions.defaults().withProvider(intraOpThreads > 0
                ? ExecutionProvider.cpu(intraOpThreads) : ExecutionProvider.cpu()))) {
            System.out.println("encoding " + videos + " synthetic videos ...");
            DecodeWorkload sentences = DecodeWorkload.make(vl, temp, videos, frames, questions);
            DecodeRun.of(vl, sentences, Decoding.plain(), maxTokens, clock); // warm-up
            DecodeWorkload quoting = sentences.repeated();
            Map<String, Decoding> all = new LinkedHashMap<>();
            all.put("plain", Decoding.plain());
            all.putAll(drafters());
            if (vl.draftHead().isPresent()) {
                all.put("draft-head", Decoding.of(new DrafterSpec.Head(draftLength, 1)));
                all.put("draft-head-tree", Decoding.of(new DrafterSpec.Head(4, 2)));
            }
            all.put("uls", new Decoding(new DrafterSpec.None(), new LayerSkipping.Unified(2)));
            Map<String, DecodeRun[]> runs = new LinkedHashMap<>();
            ProgressDisplay bars = json ? ProgressDisplay.none() : ProgressDisplay.auto();
            try (Progress progress = bars.start("bench decode", (long) rounds * all.size(), "runs")) {
                for (int round = 0; round < rounds; round++) {
                    for (var e : all.entrySet()) {
                        DecodeRun s = DecodeRun.of(vl, sentences, e.getValue(), maxTokens, clock);
                        DecodeRun q = DecodeRun.of(vl, quoting, e.getValue(), maxTokens, clock);
                        DecodeRun[] kept = runs.get(e.getKey());
                        runs.put(e.getKey(), kept == null ? new DecodeRun[] {s, q}
                                : new DecodeRun[] {kept[0].best(s), kept[1].best(q)});
                        progress.message("round " + (round + 1) + "/" + rounds + ", " + e.getKey());
                        progress.step();
                    }
                }
            }
            DecodeRun[] base = runs.get("plain");
            System.out.printf(Locale.ROOT, "%-18s %-10s %10s %8s %11s %14s %9s%n", "decoding", "answers", "tokens/s",
                    "speedup", "acceptance", "mean accepted", "= greedy");
            for (var e : runs.entrySet()) {
                Map<String, Object> o = new LinkedHashMap<>();
                boolean isLossy = all.get(e.getKey()).lossy();
                for (int w = 0; w < 2; w++) {
                    DecodeRun r = e.getValue()[w];
                    double speedup = r.tokensPerSecond() / base[w].tokensPerSecond();
                    boolean same = r.tokenIds().equals(base[w].tokenIds());
                    String prefix = w == 0 ? "" : "quoting_";
                    o.put(prefix + "speedup", speedup);
                    o.put(prefix + "acceptance", r.stats().acceptance());
                    o.put(prefix + "mean_accepted", r.stats().meanAcceptedLength());
                    o.put(prefix + "tokens_per_s", r.tokensPerSecond());
                    o.put(prefix + "equals_greedy", same);
                    if (!isLossy && !e.getKey().equals("plain")) {
                        lossless &= same;
                        best = Math.max(best, speedup);
                    }
                    System.out.printf(Locale.ROOT, "%-18s %-10s %10.1f %7.2fx %10.0f%% %14.2f %9s%n",
                            e.getKey() + (isLossy ? " (lossy)" : ""), w == 0 ? "sentences" : "quoting",
                            r.tokensPerSecond(), speedup, 100 * r.stats().acceptance(),
                            r.stats().meanAcceptedLength(), same);
                }
                if (!e.getKey().equals("plain")) {
                    o.put("lossy", isLossy);
                    figures.put(e.getKey(), o);
                }
            }
            figures.put("decode_tokens_plain", base[0].decodeTokens());
        } finally {
            deleteQuietly(temp);
        }
        figures.put("best_speedup", best);
        figures.put("lossless", lossless);
        if (large != null) {
            try (VlModel vl = VlModel.load(large, EngineOptions.defaults())) {
                VerifyCost.Result cost = VerifyCost.measure(vl, 256, repeats);
                System.out.printf(Locale.ROOT, "%s: one decode step %.1f ms; verifying k tokens in one pass:%n",
                        large.getFileName(), cost.stepMillis());
                cost.ratios().forEach((k, ratio) -> System.out.printf(Locale.ROOT, "  k = %d: %.2fx a step%n", k,
                        ratio));
                figures.put("large_model", large.getFileName().toString());
                figures.put("step_ms", cost.stepMillis());
                cost.ratios().forEach((k, ratio) -> figures.put("verify" + k + "_vs_step", ratio));
            }
        } else {
            System.out.println("verification cost on a real model's shape: not measured (pass --large DIR)");
        }
        System.out.printf(Locale.ROOT, "best lossless speedup %.2fx; every lossless drafter equalled greedy: %s%n",
                best, lossless);
        if (json) {
            System.out.println(Json.of(figures));
        }
        return 0;
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            // a temp dir left behind is harmless
        }
    }
}
