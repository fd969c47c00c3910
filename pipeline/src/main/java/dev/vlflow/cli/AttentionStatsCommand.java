package dev.vlflow.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vlflow.connectors.videomme.PromptStyle;
import dev.vlflow.connectors.videomme.SubtitleInput;
import dev.vlflow.connectors.videomme.VideoMmePrompt;
import dev.vlflow.connectors.videomme.VideoMmeQuestion;
import dev.vlflow.engine.EngineOptions;
import dev.vlflow.engine.VlModel;
import dev.vlflow.pipeline.attention.AttentionReport;
import dev.vlflow.pipeline.attention.AttentionStats;
import dev.vlflow.pipeline.attention.LayerConcentration;
import dev.vlflow.pipeline.eval.SampledVideo;
import dev.vlflow.pipeline.eval.VisionFrameSamplers;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vlflow attention-stats}: per decoder layer, how concentrated the attention of a prompt's last queries is on
 * the video tokens (the fraction of them holding {@code tau} of the mass), which bounds what ZipVL-style token
 * sparsification can save. The prompt and frames are built as {@code eval videomme} builds them.
 */
@Command(name = "attention-stats", mixinStandardHelpOptions = true,
        description = "Per layer: the fraction of video tokens holding tau of the attention mass of the prompt's"
                + " last queries (what ZipVL token sparsification can keep), and the mass share on the video.")
public final class AttentionStatsCommand implements Callable<Integer> {

    /** The default question: a Video-MME counting question, in the official prompt without subtitles. */
    static final String DEFAULT_QUESTION = VideoMmePrompt.build(PromptStyle.OFFICIAL,
            new VideoMmeQuestion("attention-stats", "Counting Problem", "How many shapes appear in the video?",
                    List.of("A. One.", "B. Two.", "C. Three.", "D. Four."), "A"),
            new SubtitleInput.Off());

    @Option(names = "--model", required = true, description = "checkpoint directory")
    Path model;

    @Option(names = "--video", required = true, description = "local video file")
    Path video;

    @Option(names = "--frames", defaultValue = "32", description = "frames sampled uniformly (default ${DEFAULT-VALUE})")
    int frames;

    @Option(names = "--question", description = "the user text after the video (default: the official Video-MME"
            + " prompt of \"How many shapes appear in the video?\" with options One to Four)")
    String question;

    @Option(names = "--probes", defaultValue = "64", description = "probe queries: the prompt's last N positions"
            + " (default ${DEFAULT-VALUE})")
    int probes;

    @Option(names = "--tau", defaultValue = "0.975", description = "share of the video mass to hold"
            + " (default ${DEFAULT-VALUE})")
    double tau;

    @Option(names = "--provider", defaultValue = "cpu", description = "ONNX Runtime execution provider: cpu or cuda")
    String provider;

    @Option(names = "--json", description = "end with one line: the figures as a JSON object")
    boolean json;

    @Override
    public Integer call() throws Exception {
        String text = question != null ? question : DEFAULT_QUESTION;
        AttentionReport report;
        try (VlModel vl = VlModel.load(model, EngineOptions.defaults().withProvider(AskCommand.provider(provider)))) {
            SampledVideo sampled = new VisionFrameSamplers().create(vl).sample(video, frames);
            report = AttentionStats.measure(vl, sampled, text, probes, tau);
        }
        PrintStream out = System.out;
        printTable(report, out);
        if (json) {
            out.println(json(report));
        }
        return 0;
    }

    static void printTable(AttentionReport r, PrintStream out) {
        out.printf(Locale.ROOT, "prompt: %d tokens, video slots [%d, %d) (%d frames), probes: last %d, tau %.4g%n",
                r.promptTokens(), r.videoStart(), r.videoStart() + r.visualTokens(), r.frames(), r.probes(), r.tau());
        out.printf(Locale.ROOT, "%5s  %13s  %14s  %15s  %8s%n", "layer", "visual tokens", "mass on visual",
                String.format(Locale.ROOT, "tokens for %.1f%%", 100 * r.tau()), "fraction");
        for (LayerConcentration l : r.layers()) {
            out.printf(Locale.ROOT, "%5d  %13d  %14.4f  %15d  %8.4f%n", l.layer(), l.visualTokens(), l.visualShare(),
                    l.tokensForTau(), l.fraction());
        }
        out.printf(Locale.ROOT, "%5s  %13s  %14.4f  %15s  %8.4f%n", "mean", "", r.meanVisualShare(), "",
                r.meanFraction());
    }

    static String json(AttentionReport r) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("promptTokens", r.promptTokens());
        root.put("videoStart", r.videoStart());
        root.put("visualTokens", r.visualTokens());
        root.put("frames", r.frames());
        root.put("probes", r.probes());
        root.put("tau", r.tau());
        root.put("meanVisualShare", r.meanVisualShare());
        root.put("meanFraction", r.meanFraction());
        ArrayNode layers = root.putArray("layers");
        for (LayerConcentration l : r.layers()) {
            layers.addObject().put("layer", l.layer()).put("visualTokens", l.visualTokens())
                    .put("visualShare", l.visualShare()).put("tokensForTau", l.tokensForTau())
                    .put("fraction", l.fraction());
        }
        return root.toString();
    }
}
