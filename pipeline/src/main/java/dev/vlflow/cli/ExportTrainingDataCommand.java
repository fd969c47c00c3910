package dev.vlflow.cli;

import dev.vlflow.connectors.videomme.PromptStyle;
import dev.vlflow.engine.VlModel;
import dev.vlflow.pipeline.progress.ProgressDisplay;
import dev.vlflow.pipeline.training.EngineLogits;
import dev.vlflow.pipeline.training.ExampleKind;
import dev.vlflow.pipeline.training.ExportFile;
import dev.vlflow.pipeline.training.ExportOptions;
import dev.vlflow.pipeline.training.LetterAnswer;
import dev.vlflow.pipeline.training.TrainingBase;
import dev.vlflow.pipeline.training.TrainingDataExporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vlflow export-training-data}: a Video-MME-format set as training data for {@code tools/train}, with the
 * frames and prompt ids the evaluation uses; and {@code vlflow engine-logits}: the engine's logits on exported
 * samples, for the PyTorch parity check.
 */
@Command(name = "export-training-data", mixinStandardHelpOptions = true,
        description = "Export a Video-MME-format data set for tools/train: per video the uniformly sampled frames,"
                + " preprocessed as the evaluation does (raw float32), and per question the exact prompt ids the"
                + " engine prefills plus the answer ids (letter and sentence answers, each ending with <|im_end|>).")
final class ExportTrainingDataCommand implements Callable<Integer> {

    @Option(names = "--dataset", required = true,
            description = "data set directory (videomme.json and video/, as make-dataset writes)")
    Path dataset;

    @Option(names = "--annotations", description = "annotation file (default: DATASET/videomme.json)")
    Path annotations;

    @Option(names = "--model", required = true, description = "checkpoint directory (tokenizer, chat template, "
            + "processor config)")
    Path model;

    @Option(names = "--frames", defaultValue = "8", description = "frames per video (default: ${DEFAULT-VALUE})")
    int frames;

    @Option(names = "--out", required = true, description = "export directory")
    Path out;

    @Option(names = "--kinds", defaultValue = "letter,sentence", split = ",",
            description = "letter and/or sentence (default: ${DEFAULT-VALUE})")
    List<String> kinds;

    @Option(names = "--prompt", defaultValue = "official", split = ",",
            description = "prompt wordings of letter examples: official and/or lmms-eval (default: ${DEFAULT-VALUE})")
    List<String> prompts;

    @Option(names = "--shuffles", defaultValue = "0",
            description = "extra letter examples per question with re-ordered options (default: ${DEFAULT-VALUE})")
    int shuffles;

    @Option(names = "--subtitles", description = "also letter examples with the aligned subtitles in the prompt")
    boolean subtitles;

    @Option(names = "--seed", defaultValue = "0", description = "seed of the option re-orderings")
    long seed;

    @Option(names = "--letter-answer", defaultValue = "letter",
            description = "letter (\"C\") or reasoned (the sentence, then \"The best answer is C.\") for letter and"
                    + " lookup examples (default: ${DEFAULT-VALUE})")
    String letterAnswer;

    @Override
    public Integer call() {
        Set<ExampleKind> kindSet = EnumSet.noneOf(ExampleKind.class);
        kinds.forEach(k -> kindSet.add(ExampleKind.parse(k)));
        List<PromptStyle> styles = new ArrayList<>();
        prompts.forEach(p -> styles.add(PromptStyle.parse(p)));
        ExportOptions options = new ExportOptions(frames, kindSet, styles, shuffles, subtitles, seed,
                LetterAnswer.parse(letterAnswer));
        Path file = annotations != null ? annotations : dataset.resolve("videomme.json");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no annotation file " + file);
        }
        try (VlModel m = VlModel.load(model)) {
            TrainingDataExporter.Summary s = new TrainingDataExporter(m, System.err, ProgressDisplay.auto())
                    .export(file, dataset.resolve("video"), options, out);
            System.out.printf(Locale.ROOT, "wrote %s: %d videos, %d examples %s in %.1f s%n", s.out(), s.videos(),
                    s.examples(), s.byKind(), s.seconds());
            if (s.skippedAmbiguous() > 0) {
                System.out.printf(Locale.ROOT, "left out the letter examples of %d questions whose options repeat"
                        + " the same text%n", s.skippedAmbiguous());
            }
            s.failedVideos().forEach(f -> System.out.println("failed: " + f));
            return s.failedVideos().isEmpty() ? 0 : 2;
        }
    }

    /** {@code vlflow training-base}: the starting checkpoint of tools/train. */
    @Command(name = "training-base", mixinStandardHelpOptions = true,
            description = "Write the tiny-random architecture and seeded weights with a tokenizer also learned from a"
                    + " data set's wording (questions, options, sentence answers, subtitles): the checkpoint"
                    + " tools/train starts from, so option words such as 'Blue.' are single tokens.")
    static final class TrainingBaseCommand implements Callable<Integer> {

        @Option(names = "--dataset", required = true, description = "data set directory (videomme.json, video/)")
        Path dataset;

        @Option(names = "--out", required = true, description = "checkpoint directory to write")
        Path out;

        @Option(names = "--seed", defaultValue = "0", description = "seed of the weights (default: ${DEFAULT-VALUE})")
        long seed;

        @Override
        public Integer call() {
            var config = TrainingBase.make(dataset.resolve("videomme.json"), dataset.resolve("video"), seed, out);
            System.out.printf(Locale.ROOT, "wrote %s: tiny-random shape, vocabulary %d (<video> = %d)%n", out,
                    config.text().vocabSize(), config.videoTokenId());
            return 0;
        }
    }

    /** {@code vlflow engine-logits}: engine logits on exported samples. */
    @Command(name = "engine-logits", mixinStandardHelpOptions = true,
            description = "Run the Java engine on exported samples (export-training-data): logits of every row of"
                    + " prompt + answer, and the greedy answer through a session; for tools/train/check_parity.py.")
    static final class EngineLogitsCommand implements Callable<Integer> {

        @Option(names = "--export", required = true, description = "export directory")
        Path export;

        @Option(names = "--model", required = true, description = "checkpoint directory")
        Path model;

        @Option(names = "--samples", defaultValue = "0,1,2,3", split = ",",
                description = "sample indices (default: ${DEFAULT-VALUE})")
        List<Integer> samples;

        @Option(names = "--max-new-tokens", defaultValue = "16", description = "session answer limit")
        int maxNewTokens;

        @Option(names = "--out", required = true, description = "where logits.f32 and logits.json go")
        Path out;

        @Override
        public Integer call() {
            ExportFile file = ExportFile.open(export);
            try (VlModel m = VlModel.load(model)) {
                long rows = EngineLogits.dump(m, file, samples, maxNewTokens, out);
                System.out.printf(Locale.ROOT, "wrote %d logit rows of %d samples to %s%n", rows, samples.size(),
                        out);
            }
            return 0;
        }
    }
}
