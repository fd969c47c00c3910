package dev.vlflow.bench.zipvl;

import dev.vlflow.bench.Json;
import dev.vlflow.cli.ModelDirs;
import dev.vlflow.conf.ZipVlSpec;
import dev.vlflow.engine.EngineOptions;
import dev.vlflow.engine.KvCacheFactory;
import dev.vlflow.engine.VlModel;
import dev.vlflow.engine.model.make.ModelPreset;
import dev.vlflow.engine.zipvl.ZipVlOptions;
import dev.vlflow.kv.KvCacheConfig;
import dev.vlflow.kv.PrecisionPolicy;
import dev.vlflow.pipeline.dataset.SyntheticVideoMme;
import dev.vlflow.pipeline.progress.ProgressDisplay;
import dev.vlflow.pipeline.stream.ConsoleLogging;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vlflow bench zipvl}: ZipVL's prefill against dense prefill in the same run. On the 0.5B shape (random
 * weights): wall time of dense, adaptive and forced kept ratios per frame count, each with its Amdahl bound from
 * the attention share measured in the dense run, and whole-cache KV bytes vs fp16. On the trained model: held-out
 * accuracy dense vs ZipVL through the evaluation's own path, and the adaptive kept ratio per layer. A PNG chart.
 */
@Command(name = "zipvl", mixinStandardHelpOptions = true,
        description = "ZipVL sparse prefill vs dense: speedup, Amdahl bound, kept ratios, accuracy, KV bytes.")
public final class ZipVlBench implements Callable<Integer> {

    @Option(names = "--model", description = "the 0.5B-shape checkpoint (default: small-random in the workspace, "
            + "made if missing)")
    Path model;

    @Option(names = "--trained", description = "the trained checkpoint (default: tiny-trained)")
    Path trained;

    @Option(names = "--data", description = "held-out set (default: make-dataset --seed 777 --videos 20 in --out)")
    Path data;

    @Option(names = "--frames", split = ",", defaultValue = "8,32",
            description = "frame counts timed on the 0.5B shape (default ${DEFAULT-VALUE}; 64 and 128 take minutes "
                    + "per prefill on 2 cores)")
    List<Integer> frames;

    @Option(names = "--trained-frames", split = ",", defaultValue = "8,32",
            description = "frame counts evaluated on the trained model (default ${DEFAULT-VALUE})")
    List<Integer> trainedFrames;

    @Option(names = "--ratios", split = ",", defaultValue = "0.1,0.3,0.5",
            description = "forced kept ratios timed next to the adaptive one (default ${DEFAULT-VALUE})")
    List<Double> ratios;

    @Option(names = "--drop", defaultValue = "2", description = "progressive token dropping timed (ratio 0.3) and "
            + "evaluated (adaptive) after this many unimportant layers; 0 = not measured (default ${DEFAULT-VALUE})")
    int drop;

    @Option(names = "--reps", defaultValue = "1", description = "prefills per case, best kept (default ${DEFAULT-VALUE})")
    int reps;

    @Option(names = "--chunk", defaultValue = "2048", description = "prefill chunk of every timed case (default "
            + "${DEFAULT-VALUE}; ZipVL's 128 probe rows are per chunk, a quarter of the engine's default 512, which "
            + "leaves dense prefill as fast)")
    int chunk;

    @Option(names = "--kv", defaultValue = "fp32", description = "cache of the timed prefills (default ${DEFAULT-VALUE}:"
            + " sparse attention alone; KV bytes are always measured on mixed 4/2)")
    String kv;

    @Option(names = "--parts", split = ",", defaultValue = "timing,trained",
            description = "timing (0.5B shape), trained (accuracy and kept ratios) (default ${DEFAULT-VALUE})")
    List<String> parts;

    @Option(names = "--out", defaultValue = "bench-zipvl", description = "chart, eval runs and held-out set")
    Path out;

    @Option(names = "--json", description = "end with one line: the JSON figures")
    boolean json;

    @Override
    public Integer call() throws Exception {
        ConsoleLogging.configure();
        Files.createDirectories(out);
        Map<String, Object> figures = new LinkedHashMap<>();
        List<ZipVlChart.Series> kept = new ArrayList<>();
        List<ZipVlChart.Series> speedups = new ArrayList<>();
        int[] timedFrames = frames.stream().mapToInt(Integer::intValue).toArray();
        if (parts.contains("timing")) {
            timing(figures, kept, speedups);
        }
        if (parts.contains("trained")) {
            trained(figures, kept);
        }
        Path png = out.resolve("zipvl.png");
        ZipVlChart.write(png, kept, timedFrames, speedups);
        System.out.println("chart: " + png);
        if (json) {
            System.out.println(Json.of(figures));
        }
        return 0;
    }

    private void timing(Map<String, Object> figures, List<ZipVlChart.Series> kept,
                        List<ZipVlChart.Series> speedups) throws Exception {
        Path dir = ModelDirs.resolve(Optional.ofNullable(model), ModelPreset.SMALL_RANDOM);
        List<PrefillTiming.Case> cases = new ArrayList<>();
        cases.add(new PrefillTiming.Case("dense", Optional.empty(), Optional.empty()));
        cases.add(new PrefillTiming.Case("zipvl adaptive", Optional.of(ZipVlOptions.defaults()), Optional.empty()));
        for (double r : ratios) {
            cases.add(new PrefillTiming.Case("zipvl ratio " + r, Optional.of(ZipVlOptions.defaults().withForcedRatio(r)),
                    Optional.of(r)));
        }
        if (drop > 0) {
            cases.add(new PrefillTiming.Case("ratio 0.3 drop " + drop, Optional.of(ZipVlOptions.defaults()
                    .withForcedRatio(0.3).withDropping(ZipVlOptions.Dropping.after(drop))), Optional.empty()));
        }
        KvCacheFactory caches = KvCacheFactory.of(KvCacheConfig.of(PrecisionPolicy.parse(kv)));
        List<PrefillTiming.Measured> all = new ArrayList<>();
        int layers;
        try (VlModel vl = VlModel.load(dir, EngineOptions.defaults())) {
            layers = vl.config().text().numHiddenLayers();
            PrefillTiming timing = new PrefillTiming(vl, caches, chunk, reps);
            System.out.println("warming up ...");
            timing.warmUp(cases);
            System.out.printf(Locale.ROOT, "%6s %6s  %-18s %8s %8s %8s %8s %8s %8s %9s %8s %8s%n", "frames", "tokens",
                    "case", "prefill", "cpu s", "attn s", "speedup", "cpu x", "kept", "attn work", "amdahl",
                    "of bound");
            for (int f : frames) {
                List<PrefillTiming.Measured> ms = timing.measure(f, cases);
                PrefillTiming.Measured dense = ms.get(0);
                for (PrefillTiming.Measured m : ms) {
                    double speedup = dense.seconds() / m.seconds();
                    double bound = m.amdahlBound(dense, layers);
                    System.out.printf(Locale.ROOT,
                            "%6d %6d  %-18s %7.2fs %7.2fs %7.2fs %7.2fx %7.2fx %8.3f %8.1f%% %7.2fx %7.0f%%%n",
                            f, m.tokens(), m.c().name(), m.seconds(), m.cpuSeconds(), m.attentionSeconds(), speedup,
                            dense.cpuSeconds() / m.cpuSeconds(),
                            m.stats().map(s -> s.meanKeptRatio()).orElse(1.0),
                            100 * m.stats().map(s -> 1 - s.attentionFlopsSaved()).orElse(1.0), bound,
                            100 * speedup / bound);
                    all.add(m);
                }
                System.out.printf(Locale.ROOT, "%6s %6s  attention share of the dense prefill: %.1f%%%n", "", "",
                        100 * dense.attentionShare());
            }
            long[] kv = kvBytes(vl, frames.stream().mapToInt(Integer::intValue).min().orElse(8));
            figures.put("kv_compression_vs_fp16", (double) kv[1] / kv[0]);
            figures.put("kv_bytes_mixed_4_2", kv[0]);
            figures.put("kv_bytes_fp16", kv[1]);
            System.out.printf(Locale.ROOT, "whole KV cache after a ZipVL prefill (mixed 4/2, prompt sealed): %d B, "
                    + "fp16 %d B: %.2fx smaller%n", kv[0], kv[1], (double) kv[1] / kv[0]);
        }
        Map<String, Double> speedup32 = pick(all, 32, 0.3);
        figures.put("speedup", speedup32.get("speedup"));
        figures.put("speedup_cpu_time", speedup32.get("cpu"));
        figures.put("amdahl_bound", speedup32.get("bound"));
        figures.put("attention_share_32", speedup32.get("share"));
        figures.put("speedup_128", pick(all, 128, 0.3).get("speedup"));
        if (drop > 0) {
            PrefillTiming.Case dropping = cases.get(cases.size() - 1);
            for (int f : frames) {
                Map<String, Double> p = pick(all, f, dropping);
                figures.put("speedup_dropping_" + f, p.get("speedup"));
                figures.put("bound_dropping_" + f, p.get("bound"));
                all.stream().filter(m -> m.frames() == f && m.c().equals(dropping)).findFirst()
                        .flatMap(PrefillTiming.Measured::stats)
                        .ifPresent(st -> figures.put("row_share_dropping_" + f, st.rowShare()));
            }
        }
        PrefillTiming.Measured adaptive = all.stream().filter(m -> m.c().zipvl().isPresent()
                && m.c().forcedRatio().isEmpty() && !m.c().zipvl().get().dropping().on()).reduce((a, b) -> b)
                .orElseThrow();
        figures.put("kept_ratio_random", adaptive.stats().orElseThrow().meanKeptRatio());
        kept.add(new ZipVlChart.Series("0.5B random " + adaptive.frames() + "f", adaptive.keptRatios(layers), false));
        for (PrefillTiming.Case c : cases.subList(1, cases.size())) {
            double[] y = new double[frames.size()];
            double[] b = new double[frames.size()];
            for (int i = 0; i < frames.size(); i++) {
                Map<String, Double> p = pick(all, frames.get(i), c);
                y[i] = p.get("speedup");
                b[i] = p.get("bound");
            }
            speedups.add(new ZipVlChart.Series(c.name(), y, false));
            if (c.forcedRatio().filter(r -> r == 0.3).isPresent()) {
                speedups.add(new ZipVlChart.Series("amdahl bound, ratio 0.3", b, true));
            }
        }
    }

    /** Whole-cache bytes after an adaptive ZipVL prefill on the mixed 4/2 cache, and fp16 bytes of those tokens. */
    private long[] kvBytes(VlModel vl, int f) {
        PrefillTiming mixed = new PrefillTiming(vl, KvCacheFactory.of(KvCacheConfig.of(
                new PrecisionPolicy.MixedByImportance(4, 2))), chunk, 1);
        PrefillTiming.Measured m = mixed.measure(f, List.of(new PrefillTiming.Case("zipvl adaptive",
                Optional.of(ZipVlOptions.defaults()), Optional.empty()))).get(0);
        return new long[] {m.kvBytes(), TrainedModelRun.fp16Bytes(vl.cacheShape(), m.tokens())};
    }

    private static Map<String, Double> pick(List<PrefillTiming.Measured> all, int f, double ratio) {
        return all.stream().filter(m -> m.frames() == f && m.c().forcedRatio().filter(r -> r == ratio).isPresent())
                .findFirst().map(m -> pick(all, f, m.c())).orElseGet(() -> Map.of("speedup", Double.NaN,
                        "bound", Double.NaN, "share", Double.NaN, "cpu", Double.NaN));
    }

    private static Map<String, Double> pick(List<PrefillTiming.Measured> all, int f, PrefillTiming.Case c) {
        PrefillTiming.Measured dense = all.stream().filter(m -> m.frames() == f && m.c().zipvl().isEmpty())
                .findFirst().orElseThrow();
        PrefillTiming.Measured m = all.stream().filter(x -> x.frames() == f && x.c().equals(c)).findFirst()
                .orElseThrow();
        int layers = m.stats().map(s -> s.tokens().length).orElse(1);
        return Map.of("speedup", dense.seconds() / m.seconds(), "bound", m.amdahlBound(dense, layers),
                "share", dense.attentionShare(), "cpu", dense.cpuSeconds() / m.cpuSeconds());
    }

    /** Bars on a terminal, none with --json. */
    private ProgressDisplay bars() {
        return json ? ProgressDisplay.none() : ProgressDisplay.auto();
    }

    private void trained(Map<String, Object> figures, List<ZipVlChart.Series> kept) throws Exception {
        Path dir = ModelDirs.resolve(Optional.ofNullable(trained), ModelPreset.TINY_TRAINED);
        Path set = data != null ? data : heldOut();
        TrainedModelRun run = new TrainedModelRun(dir, set, out.resolve("eval"), ZipVlSpec.defaults(), bars());
        System.out.printf(Locale.ROOT, "%n%-14s %6s %10s %10s %8s %s%n", "trained model", "frames", "acc dense",
                "acc zipvl", "KV x", "kept ratio per layer (ZipVL adaptive, held-out video prefills)");
        for (int f : trainedFrames) {
            TrainedModelRun.Figures r = run.run(f, 20);
            StringBuilder perLayer = new StringBuilder();
            for (double k : r.stats().keptRatios()) {
                perLayer.append(String.format(Locale.ROOT, "%.3f ", k));
            }
            System.out.printf(Locale.ROOT, "%-14s %6d %9.2f%% %9.2f%% %7.2fx %s%n", dir.getFileName(), f,
                    r.accuracyDense(), r.accuracyZipVl(), r.kvCompression(), perLayer.toString().trim());
            figures.put("accuracy_dense_" + f, r.accuracyDense());
            figures.put("accuracy_zipvl_" + f, r.accuracyZipVl());
            figures.put("kept_ratio_trained_" + f, r.stats().meanKeptRatio());
            figures.put("kv_compression_vs_fp16_trained_" + f, r.kvCompression());
            if (f == 32) {
                figures.put("kept_ratio_trained", r.stats().meanKeptRatio());
                figures.put("accuracy_dense", r.accuracyDense());
                figures.put("accuracy_zipvl", r.accuracyZipVl());
            }
            kept.add(new ZipVlChart.Series("tiny-trained " + f + "f", r.stats().keptRatios(), false));
            TrainedModelRun.Figures q = new TrainedModelRun(dir, set, out.resolve("eval"),
                    ZipVlSpec.defaults().withQuestionProbes(true), bars()).run(f, 0, false);
            System.out.printf(Locale.ROOT, "%-14s %6d %10s %9.2f%% (ZipVL with the question's rows as probes: each "
                    + "question's whole prompt one block, no prefix sharing)%n", "  + q. probes", f, "",
                    q.accuracyZipVl());
            figures.put("accuracy_zipvl_question_" + f, q.accuracyZipVl());
            if (drop > 0) {
                ZipVlSpec dropping = ZipVlSpec.defaults().withDropAfter(drop);
                TrainedModelRun.Figures d = new TrainedModelRun(dir, set, out.resolve("eval"), dropping, bars()).run(f, 20,
                        false);
                System.out.printf(Locale.ROOT, "%-14s %6d %10s %9.2f%% %7.2fx layers ran %.1f%% of the rows "
                                + "(progressive dropping after %d unimportant layers)%n", "  + dropping", f, "",
                        d.accuracyZipVl(), d.kvCompression(), 100 * d.stats().rowShare(), drop);
                figures.put("accuracy_zipvl_drop_" + f, d.accuracyZipVl());
                figures.put("row_share_drop_" + f, d.stats().rowShare());
            }
        }
    }

    private Path heldOut() {
        Path set = out.resolve("heldout-777");
        if (!Files.isRegularFile(set.resolve("videomme.json"))) {
            System.out.println("making the held-out set (seed 777, 20 videos) in " + set);
            SyntheticVideoMme.write(set, 20, 777, SyntheticVideoMme.Format.defaults());
        }
        return set;
    }
}
