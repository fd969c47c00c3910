package dev.vlflow.bench;

import dev.vlflow.bench.decode.DecodeBench;
import dev.vlflow.bench.engine.EngineBench;
import dev.vlflow.bench.eval.VideoMmeBench;
import dev.vlflow.bench.kv.KvBench;
import dev.vlflow.bench.resize.ResizeBench;
import dev.vlflow.bench.stream.StreamBench;
import dev.vlflow.bench.video.VideoBench;
import dev.vlflow.bench.zipvl.ZipVlBench;
import dev.vlflow.cli.CliExtension;
import picocli.CommandLine.Command;

/**
 * {@code vlflow bench <what>}: benchmark commands. Each prints a human-readable table and, with {@code --json},
 * ends with one line holding a single JSON object of its figures.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Run a benchmark and print its figures.",
        subcommands = {EngineBench.class, DecodeBench.class, KvBench.class, VideoMmeBench.class, StreamBench.class,
            dev.vlflow.bench.streams.StreamsBench.class, VideoBench.class, ResizeBench.class, ZipVlBench.class})
public final class BenchCommand implements CliExtension {

    @Override
    public Object command() {
        return new BenchCommand();
    }
}
