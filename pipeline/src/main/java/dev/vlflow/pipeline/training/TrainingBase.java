package dev.vlflow.pipeline.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vlflow.connectors.videomme.AnnotationReader;
import dev.vlflow.connectors.videomme.SrtReader;
import dev.vlflow.connectors.videomme.VideoMmeFiles;
import dev.vlflow.connectors.videomme.VideoMmeQuestion;
import dev.vlflow.connectors.videomme.VideoMmeVideo;
import dev.vlflow.engine.model.Checkpoint;
import dev.vlflow.engine.model.DType;
import dev.vlflow.engine.model.ModelConfig;
import dev.vlflow.engine.model.ModelConfigJson;
import dev.vlflow.engine.model.SafetensorsWriter;
import dev.vlflow.engine.model.TensorLayout;
import dev.vlflow.engine.model.make.ModelMaker;
import dev.vlflow.engine.model.make.ModelPreset;
import dev.vlflow.engine.text.BpeTrainer;
import dev.vlflow.engine.text.BpeVocabulary;
import dev.vlflow.engine.text.ChatTemplate;
import dev.vlflow.engine.text.SpecialTokens;
import dev.vlflow.engine.text.TokenizerFiles;
import dev.vlflow.engine.text.TrainingCorpus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The starting checkpoint of {@code tools/train}: the {@code tiny-random} architecture and seeded weights, with the
 * tokenizer learned from the project's corpus plus the wording of a data set (its questions, options, sentence
 * answers and subtitles). With the plain corpus an option such as {@code "B. Blue."} splits into single letters
 * ({@code B . Ġ B l ue .}); with the data set's words each option word is one token, which is what lets a model of
 * this size learn to tie an answer to its option letter.
 *
 * <p>{@code tiny-random (seeded) -> tokenizer from corpus + data set -> config for that vocabulary -> weights: every
 * tensor of tiny-random as is, the token embeddings re-drawn for the new vocabulary}.
 */
public final class TrainingBase {

    /** Merges the tokenizer may learn (as {@code make-model}). */
    static final int MAX_MERGES = 4000;
    private static final String EMBED = Checkpoint.EMBED;
    private static final ObjectMapper JSON = new ObjectMapper();

    private TrainingBase() {
    }

    /** Writes the base checkpoint to {@code out} for the data set whose annotations are {@code annotations}. */
    public static ModelConfig make(Path annotations, Path videoDir, long seed, Path out) {
        Path random = null;
        try {
            random = Files.createTempDirectory("vlflow-training-base");
            ModelMaker.make(ModelMaker.Request.of(ModelPreset.TINY_RANDOM, random).withSeed(seed));
            Files.createDirectories(out);
            copyProcessorFiles(random, out);
            BpeVocabulary bpe = BpeTrainer.train(TrainingCorpus.text() + "\n" + datasetText(annotations, videoDir),
                    MAX_MERGES);
            SpecialTokens special = TokenizerFiles.write(out, bpe, ChatTemplate.LLAVA_ONEVISION, 32768);
            ModelConfig config = ModelPreset.TINY_RANDOM.config(special, bpe.size() + SpecialTokens.CONTENTS.size());
            writeJson(out.resolve(ModelConfigJson.CONFIG_FILE),
                    ModelConfigJson.toJson(config, special.endOfText(), DType.F32));
            ObjectNode generation = JSON.createObjectNode();
            generation.put("bos_token_id", special.endOfText());
            var eos = generation.putArray("eos_token_id");
            config.eosTokenIds().forEach(eos::add);
            generation.put("pad_token_id", special.endOfText());
            generation.put("do_sample", false);
            writeJson(out.resolve(ModelConfigJson.GENERATION_CONFIG_FILE), generation);
            try (Checkpoint source = Checkpoint.open(random)) {
                int hidden = config.text().hiddenSize();
                Map<String, long[]> shapes = Checkpoint.expectedTensors(config);
                SafetensorsWriter.write(out, shapes, TensorLayout.CURRENT, DType.F32, Long.MAX_VALUE,
                        (name, start, values, count) -> {
                            if (name.equals(EMBED)) {
                                embeddings(seed, hidden, start, values, count);
                            } else {
                                FloatBuffer tensor = source.floats(name);
                                tensor.get(Math.toIntExact(start), values, 0, count);
                            }
                        });
            }
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the training base to " + out, e);
        } finally {
            if (random != null) {
                deleteTree(random);
            }
        }
    }

    /**
     * The data set's text, one distinct line each: questions, options ({@code "A. Red."}), sentence answers and
     * subtitle lines, sorted (a pure function of the annotations), written twice so every word is seen twice.
     */
    static String datasetText(Path annotations, Path videoDir) {
        TreeSet<String> lines = new TreeSet<>();
        VideoMmeFiles files = new VideoMmeFiles(videoDir);
        for (VideoMmeVideo v : AnnotationReader.readFile(annotations).videos()) {
            for (VideoMmeQuestion q : v.questions()) {
                lines.add(q.question());
                lines.addAll(q.options());
                q.answerSentence().ifPresent(lines::add);
            }
            Optional<Path> srt = files.subtitles(v);
            srt.ifPresent(p -> lines.addAll(SrtReader.read(p).allTexts()));
        }
        String text = String.join("\n", lines);
        return text + "\n" + text + "\n";
    }

    /** Token embeddings for a new vocabulary: N(0, 1/hidden), a pure function of (seed, element index). */
    private static void embeddings(long seed, int hidden, long start, float[] out, int count) {
        double std = 1.0 / Math.sqrt(hidden);
        for (int i = 0; i < count; i++) {
            out[i] = (float) (new SplittableRandom(seed * 0x9E3779B97F4A7C15L + start + i).nextGaussian() * std);
        }
    }

    private static void copyProcessorFiles(Path from, Path to) throws IOException {
        for (String name : new String[] {"preprocessor_config.json", "processor_config.json", "chat_template.json"}) {
            Files.copy(from.resolve(name), to.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.createDirectories(to.resolve("video_processor"));
        Files.copy(from.resolve("video_processor/preprocessor_config.json"),
                to.resolve("video_processor/preprocessor_config.json"), StandardCopyOption.REPLACE_EXISTING);
    }

    private static void writeJson(Path file, ObjectNode node) throws IOException {
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n");
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp folder left behind is harmless
        }
    }
}
