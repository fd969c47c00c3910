package dev.vlflow.engine.model.make;

import dev.vlflow.engine.model.Checkpoint;
import dev.vlflow.engine.model.DType;
import dev.vlflow.engine.model.ModelConfig;
import dev.vlflow.engine.model.ModelConfigJson;
import dev.vlflow.engine.model.SafetensorsWriter;
import dev.vlflow.engine.model.TensorLayout;
import dev.vlflow.engine.text.BpeTrainer;
import dev.vlflow.engine.text.BpeVocabulary;
import dev.vlflow.engine.text.ChatTemplate;
import dev.vlflow.engine.text.SpecialTokens;
import dev.vlflow.engine.text.TokenizerFiles;
import dev.vlflow.engine.text.TrainingCorpus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes a complete, loadable Hugging Face LLaVA-OneVision checkpoint directory with seeded random weights:
 * tokenizer (BPE learned from {@link TrainingCorpus}) -> config -> processor files -> weights. The same request
 * produces byte-identical files.
 */
public final class ModelMaker {

    /** Merges the tokenizer may learn (the corpus supports a few hundred). */
    static final int MAX_MERGES = 4000;

    /**
     * What to make.
     *
     * @param maxShardBytes shard the weights above this size ({@code Long.MAX_VALUE}: one file)
     */
    public record Request(ModelPreset preset, Path out, DType dtype, TensorLayout layout, long seed,
                          long maxShardBytes) {
        public Request {
            if (maxShardBytes <= 0) {
                throw new IllegalArgumentException("maxShardBytes must be positive");
            }
        }

        /** The preset's default dtype, current layout, seed 0, one file. */
        public static Request of(ModelPreset preset, Path out) {
            return new Request(preset, out, preset.defaultDtype(), TensorLayout.CURRENT, 0, Long.MAX_VALUE);
        }

        public Request withDtype(DType d) {
            return new Request(preset, out, d, layout, seed, maxShardBytes);
        }

        public Request withLayout(TensorLayout l) {
            return new Request(preset, out, dtype, l, seed, maxShardBytes);
        }

        public Request withSeed(long s) {
            return new Request(preset, out, dtype, layout, s, maxShardBytes);
        }

        public Request withMaxShardBytes(long b) {
            return new Request(preset, out, dtype, layout, seed, b);
        }
    }

    /** What was made. */
    public record Made(Path directory, ModelConfig config, SpecialTokens specialTokens, long parameters,
                       long weightBytes) {
    }

    private ModelMaker() {
    }

    /**
     * Where the repository keeps the checkpoint of a trained preset ({@code models/<preset>/} under
     * {@code -Dvlflow.home}, else in the nearest folder above the working directory that has it); empty when it
     * cannot be found or the preset is not a trained one.
     */
    public static java.util.Optional<Path> repositoryCopy(ModelPreset preset) {
        return preset.trained() ? TrainedCheckpoint.source(preset) : java.util.Optional.empty();
    }

    public static Made make(Request request) {
        if (request.preset().trained()) {
            return TrainedCheckpoint.copy(request);
        }
        Path out = request.out();
        try {
            Files.createDirectories(out);
            BpeVocabulary bpe = BpeTrainer.train(TrainingCorpus.text(), MAX_MERGES);
            SpecialTokens special = TokenizerFiles.write(out, bpe, ChatTemplate.LLAVA_ONEVISION, 32768);
            int tokenizerSize = bpe.size() + SpecialTokens.CONTENTS.size();
            ModelConfig config = request.preset().config(special, tokenizerSize);
            ProcessorFiles.writeJson(out.resolve(ModelConfigJson.CONFIG_FILE),
                    ModelConfigJson.toJson(config, special.endOfText(), request.dtype()));
            ProcessorFiles.write(out, config, special, ChatTemplate.LLAVA_ONEVISION);
            Map<String, long[]> shapes = Checkpoint.expectedTensors(config);
            long bytes = SafetensorsWriter.write(out, shapes, request.layout(), request.dtype(),
                    request.maxShardBytes(), new RandomWeights(request.seed(), shapes));
            long parameters = bytes / request.dtype().bytes();
            return new Made(out, config, special, parameters, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a checkpoint to " + out, e);
        }
    }
}
