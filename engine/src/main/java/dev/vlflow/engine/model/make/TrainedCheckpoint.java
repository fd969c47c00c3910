package dev.vlflow.engine.model.make;

import dev.vlflow.engine.model.Checkpoint;
import dev.vlflow.engine.model.ModelConfig;
import dev.vlflow.engine.model.ModelConfigJson;
import dev.vlflow.engine.model.SafetensorsWriter;
import dev.vlflow.engine.text.SpecialTokens;
import dev.vlflow.engine.text.TextTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Checkpoints the project trained itself ({@code tools/train}), kept in the repository under
 * {@code models/<preset>/} and copied out by {@code make-model}: every file but the weights as is, the weights
 * re-written in the requested dtype, layout and sharding (F32 current layout in one file reproduces the stored
 * file byte for byte). The repository is {@code -Dvlflow.home} (the launcher sets it), else the nearest folder
 * above the working directory that holds {@code models/<preset>/config.json}.
 */
final class TrainedCheckpoint {

    static final String FOLDER = "models";

    private TrainedCheckpoint() {
    }

    /** The stored checkpoint of {@code preset}, if the repository holding it can be found. */
    static Optional<Path> source(ModelPreset preset) {
        String home = System.getProperty("vlflow.home");
        if (home != null) {
            Path dir = Path.of(home).resolve(FOLDER).resolve(preset.cliName());
            return Files.isRegularFile(dir.resolve(ModelConfigJson.CONFIG_FILE)) ? Optional.of(dir) : Optional.empty();
        }
        for (Path at = Path.of("").toAbsolutePath(); at != null; at = at.getParent()) {
            Path dir = at.resolve(FOLDER).resolve(preset.cliName());
            if (Files.isRegularFile(dir.resolve(ModelConfigJson.CONFIG_FILE))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    static ModelMaker.Made copy(ModelMaker.Request request) {
        Path from = source(request.preset()).orElseThrow(() -> new IllegalStateException("the "
                + request.preset().cliName() + " checkpoint is kept in the repository (" + FOLDER + "/"
                + request.preset().cliName() + "/); run from the repository or pass -Dvlflow.home"));
        Path out = request.out();
        try (Checkpoint source = Checkpoint.open(from)) {
            Files.createDirectories(out);
            copyFiles(from, out);
            ModelConfig config = source.config();
            SpecialTokens special;
            try (TextTokenizer tokenizer = TextTokenizer.open(from)) {
                special = new SpecialTokens(tokenizer.tokenId(SpecialTokens.END_OF_TEXT),
                        tokenizer.tokenId(SpecialTokens.IM_START), tokenizer.tokenId(SpecialTokens.IM_END),
                        tokenizer.tokenId(SpecialTokens.IMAGE), tokenizer.tokenId(SpecialTokens.VIDEO));
            }
            ProcessorFiles.writeJson(out.resolve(ModelConfigJson.CONFIG_FILE),
                    ModelConfigJson.toJson(config, special.endOfText(), request.dtype()));
            Map<String, long[]> shapes = Checkpoint.expectedTensors(config);
            long bytes = SafetensorsWriter.write(out, shapes, request.layout(), request.dtype(),
                    request.maxShardBytes(), (name, start, values, count) -> {
                        FloatBuffer tensor = source.floats(name);
                        tensor.get(Math.toIntExact(start), values, 0, count);
                    });
            return new ModelMaker.Made(out, config, special, bytes / request.dtype().bytes(), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + from + " to " + out, e);
        }
    }

    /** Every file except the weights and the config (both re-written), sub-folders included. */
    private static void copyFiles(Path from, Path out) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path relative = from.relativize(file);
                String name = relative.getFileName() == null ? "" : relative.getFileName().toString();
                if (Files.isDirectory(file) || name.endsWith(".safetensors") || name.equals(Checkpoint.INDEX_FILE)
                        || name.equals(ModelConfigJson.CONFIG_FILE)) {
                    continue;
                }
                Path target = out.resolve(relative.toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
