package dev.vlflow.cli;

import dev.vlflow.connectors.videomme.AnnotationReader;
import dev.vlflow.connectors.videomme.VideoMmeFiles;
import dev.vlflow.connectors.videomme.VideoMmeQuestion;
import dev.vlflow.connectors.videomme.VideoMmeVideo;
import dev.vlflow.engine.Answer;
import dev.vlflow.engine.DraftHeadData;
import dev.vlflow.engine.EngineOptions;
import dev.vlflow.engine.GenerationOptions;
import dev.vlflow.engine.TokenListener;
import dev.vlflow.engine.VlModel;
import dev.vlflow.engine.VlSession;
import dev.vlflow.engine.decode.DraftHead;
import dev.vlflow.engine.decode.DraftHeadFit;
import dev.vlflow.engine.model.make.ModelPreset;
import dev.vlflow.pipeline.dataset.SyntheticVideoMme;
import dev.vlflow.pipeline.eval.FrameSampler;
import dev.vlflow.pipeline.eval.SampledVideo;
import dev.vlflow.pipeline.eval.VisionFrameSamplers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vlflow fit-draft-head}: fits a one-layer draft head ({@link DraftHead}) to a model's own sentence answers
 * on synthetic videos by ridge regression and writes {@code draft_head.safetensors} into the model directory, for
 * {@code --drafter draft-head}.
 */
@Command(name = "fit-draft-head", mixinStandardHelpOptions = true,
        description = "Fit a draft head to the model's answers on synthetic videos (writes draft_head.safetensors).")
public final class FitDraftHeadCommand implements Callable<Integer> {

    @Option(names = "--model", description = "checkpoint directory (default: the tiny-trained model in the workspace)")
    Path model;

    @Option(names = "--videos", defaultValue = "60", description = "synthetic videos (default ${DEFAULT-VALUE})")
    int videos;

    @Option(names = "--seed", defaultValue = "1", description = "seed of the synthetic set (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--frames", defaultValue = "8", description = "frames per video (default ${DEFAULT-VALUE})")
    int frames;

    @Option(names = "--ridge", defaultValue = "0.01", description = "ridge penalty (default ${DEFAULT-VALUE})")
    double ridge;

    @Override
    public Integer call() throws Exception {
        Path dir = ModelDirs.resolve(Optional.ofNullable(model), ModelPreset.TINY_TRAINED);
        Path temp = Files.createTempDirectory("vlflow-draft-head");
        try (VlModel vl = VlModel.load(dir, EngineOptions.defaults())) {
            SyntheticVideoMme.Written set = SyntheticVideoMme.write(temp, videos, seed,
                    SyntheticVideoMme.Format.defaults());
            VideoMmeFiles files = new VideoMmeFiles(set.dir().resolve("video"));
            FrameSampler sampler = new VisionFrameSamplers().create(vl);
            DraftHeadFit fit = new DraftHeadFit(vl.config().text().hiddenSize());
            int answers = 0;
            for (VideoMmeVideo v : AnnotationReader.readFile(set.dir().resolve("videomme.json")).videos()) {
                SampledVideo sampled = sampler.sample(files.video(v).orElseThrow(), frames);
                VlSession session = vl.openSession();
                session.appendFrames(vl.encodeFrames(sampled.pixels(), sampled.frames()));
                for (VideoMmeQuestion q : v.questions()) {
                    Answer a = session.ask(q.question(), GenerationOptions.greedy(32), TokenListener.none());
                    DraftHeadData.collect(session, q.question(), a.tokenIds(), fit);
                    answers++;
                }
            }
            DraftHead head = fit.solve(ridge);
            head.write(dir);
            System.out.printf("fitted a draft head on %d positions of %d answers; wrote %s%n", fit.samples(), answers,
                    dir.resolve(DraftHead.FILE));
        } finally {
            try (var paths = Files.walk(temp)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return 0;
    }
}
