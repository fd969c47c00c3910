package dev.vlflow.cli;

import dev.vlflow.engine.model.make.ModelMaker;
import dev.vlflow.engine.model.make.ModelPreset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the command line keeps what it generates ({@code .vlflow/} under the project root, which the launcher
 * passes as {@code -Dvlflow.home}; the working directory otherwise), and the default model: a preset made on
 * first use.
 */
public final class ModelDirs {

    private ModelDirs() {
    }

    /** The folder for generated models, videos and caches. */
    public static Path workspace() {
        String home = System.getProperty("vlflow.home");
        Path root = home == null ? Path.of("").toAbsolutePath() : Path.of(home);
        return root.resolve(".vlflow");
    }

    /** {@code model} if given, else the preset's directory in the workspace, made if missing. */
    public static Path resolve(Optional<Path> model, ModelPreset preset) {
        if (model.isPresent()) {
            return model.get();
        }
        Path dir = workspace().resolve("models").resolve(preset.cliName());
        if (!Files.isRegularFile(dir.resolve("config.json"))) {
            System.err.println("vlflow: making the " + preset.cliName() + " model in " + dir);
            ModelMaker.make(ModelMaker.Request.of(preset, dir));
        }
        return dir;
    }
}
