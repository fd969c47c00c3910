package dev.vlflow.cli;

import dev.vlflow.engine.model.DType;
import dev.vlflow.engine.model.TensorLayout;
import dev.vlflow.engine.model.make.ModelMaker;
import dev.vlflow.engine.model.make.ModelPreset;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vlflow make-model}: writes a seeded random LLaVA-OneVision checkpoint directory. */
@Command(name = "make-model", mixinStandardHelpOptions = true,
        description = "Writes a complete Hugging Face LLaVA-OneVision checkpoint (config, safetensors, tokenizer, "
                + "chat template, processor configs) with seeded random weights.")
final class MakeModelCommand implements Callable<Integer> {

    @Option(names = "--preset", required = true, description = "tiny-random | small-random")
    String preset;

    @Option(names = "--out", required = true, description = "output directory")
    Path out;

    @Option(names = "--dtype", description = "fp32 | bf16 | fp16 (default: fp32 for tiny-random, bf16 for "
            + "small-random)")
    String dtype;

    @Option(names = "--layout", defaultValue = "current",
            description = "tensor names: current (model.language_model.*) or legacy (language_model.model.*)")
    String layout;

    @Option(names = "--seed", defaultValue = "0", description = "random seed (same seed: byte-identical files)")
    long seed;

    @Option(names = "--max-shard-mb", description = "split the weights into shards of at most this many MiB, "
            + "with model.safetensors.index.json")
    Long maxShardMb;

    @Override
    public Integer call() {
        ModelPreset p = ModelPreset.parse(preset);
        ModelMaker.Request request = ModelMaker.Request.of(p, out)
                .withDtype(dtype == null ? p.defaultDtype() : parseDtype(dtype))
                .withLayout(TensorLayout.parse(layout))
                .withSeed(seed)
                .withMaxShardBytes(maxShardMb == null ? Long.MAX_VALUE : maxShardMb << 20);
        long start = System.nanoTime();
        ModelMaker.Made made = ModelMaker.make(request);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "wrote %s: %s, %,d parameters, %s %s layout, %.1f MiB of weights in %.1f s%n",
                made.directory(), p.cliName(), made.parameters(), request.dtype(),
                request.layout().name().toLowerCase(Locale.ROOT), made.weightBytes() / 1048576.0, seconds);
        System.out.printf(Locale.ROOT, "vocab %d (tokenizer %d ids, <video> = %d), %d frames -> %d video tokens%n",
                made.config().text().vocabSize(), made.specialTokens().video() + 1, made.specialTokens().video(), 32,
                made.config().videoTokens(32));
        return 0;
    }

    static DType parseDtype(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "fp32", "f32", "float32" -> DType.F32;
            case "bf16", "bfloat16" -> DType.BF16;
            case "fp16", "f16", "float16" -> DType.F16;
            default -> throw new IllegalArgumentException("unknown dtype '" + text + "' (fp32|bf16|fp16)");
        };
    }
}
