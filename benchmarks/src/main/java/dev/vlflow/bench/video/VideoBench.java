package dev.vlflow.bench.video;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlflow.vision.FrameStream;
import dev.vlflow.vision.Frames;
import dev.vlflow.vision.SamplingPolicy;
import dev.vlflow.vision.VideoException;
import dev.vlflow.vision.VideoLimits;
import dev.vlflow.vision.VideoSampler;
import dev.vlflow.vision.VideoSource;
import dev.vlflow.vision.preprocess.Preprocessor;
import dev.vlflow.vision.preprocess.ProcessorConfig;
import dev.vlflow.vision.synthetic.Rgb;
import dev.vlflow.vision.synthetic.Shape;
import dev.vlflow.vision.synthetic.SyntheticVideo;
import dev.vlflow.vision.synthetic.VideoSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vlflow bench video}: decode + sample throughput of vlflow's {@code VideoSampler} against the {@code ffmpeg}
 * command line doing the same sampling on the same generated files, measured in one run.
 *
 * <p>Both sides decode the file, keep the same frames (vlflow's own selection, handed to ffmpeg as
 * {@code select=eq(n,…)}), resize them to 384×384 bicubic and deliver RGB: vlflow as normalized float tensors in
 * this JVM, ffmpeg as raw bytes through a pipe. Throughput counts the video's frames over the wall time of one
 * sampling call (how fast a video is consumed); the ratio is ffmpeg's time over vlflow's (above 1: vlflow faster).
 * vlflow seeks between distant frames where ffmpeg's select filter decodes every frame; the "decoded" column shows
 * how much that saves.
 */
@Command(name = "video", mixinStandardHelpOptions = true,
        description = "Decode+sample throughput (frames/s) of vlflow vs the ffmpeg command line, same files.")
public final class VideoBench implements Callable<Integer> {

    @Option(names = "--seconds", defaultValue = "30", description = "length of each generated video (default ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--repeat", defaultValue = "3", description = "timed runs per case, median taken (default ${DEFAULT-VALUE})")
    int repeat;

    @Option(names = "--ffmpeg", defaultValue = "ffmpeg", description = "ffmpeg executable (default ${DEFAULT-VALUE})")
    String ffmpeg;

    @Option(names = "--json", description = "end with one line holding a JSON object of the figures")
    boolean json;

    private static final int SIDE = 384;

    /** A generated file and its name in the table. */
    private record Workload(String name, VideoSpec spec) {
    }

    /** A sampling policy and its name in the table. */
    private record Policy(String name, SamplingPolicy policy) {
    }

    @Override
    public Integer call() throws Exception {
        FfmpegCli cli = new FfmpegCli(ffmpeg);
        String version;
        try {
            version = cli.version();
        } catch (IOException e) {
            System.err.println("vlflow bench video needs the ffmpeg command line (Debian: apt-get install ffmpeg): "
                    + e.getMessage());
            return 2;
        }
        Preprocessor preprocessor = new Preprocessor(ProcessorConfig.llavaOnevision());
        List<Policy> policies = List.of(new Policy("uniform-32", new SamplingPolicy.Uniform(32)),
                new Policy("fps-1", new SamplingPolicy.Fps(1, 64)),
                new Policy("fps-5", new SamplingPolicy.Fps(5, 512)));
        Path dir = Files.createTempDirectory("vlflow-bench-video");
        List<Map<String, Object>> rows = new ArrayList<>();
        try {
            System.out.printf(Locale.ROOT, "%s; %d cores; %d s videos; median of %d runs%n", version,
                    Runtime.getRuntime().availableProcessors(), seconds, repeat);
            System.out.printf(Locale.ROOT, "%-20s %-11s %7s %9s %9s %10s %10s %9s %9s %7s%n", "video", "policy",
                    "frames", "sampled", "decoded", "vlflow s", "ffmpeg s", "vlflow/s", "ffmpeg/s", "ratio");
            for (Workload workload : workloads()) {
                Path file = dir.resolve(workload.name() + ".mp4");
                long encodeStart = System.nanoTime();
                SyntheticVideo.write(workload.spec(), file);
                double encodeSeconds = (System.nanoTime() - encodeStart) / 1e9;
                for (Policy policy : policies) {
                    rows.add(measure(cli, workload, file, policy, preprocessor, dir, encodeSeconds));
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        double logSum = 0;
        for (Map<String, Object> row : rows) {
            logSum += Math.log((double) row.get("ratio"));
        }
        double geomean = Math.exp(logSum / rows.size());
        System.out.printf(Locale.ROOT, "geometric mean ratio (ffmpeg time / vlflow time): %.2f%n", geomean);
        if (json) {
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("bench", "video");
            figures.put("ffmpeg", version);
            figures.put("cores", Runtime.getRuntime().availableProcessors());
            figures.put("seconds", seconds);
            figures.put("repeat", repeat);
            figures.put("cases", rows);
            figures.put("ratio_geomean", geomean);
            System.out.println(new ObjectMapper().writeValueAsString(figures));
        }
        return 0;
    }

    private List<Workload> workloads() {
        Duration length = Duration.ofSeconds(seconds);
        Shape[] shapes = {
            Shape.rectangle(Rgb.RED, 120, 90, 0, 40, 37, 11),
            new Shape(Shape.Form.ELLIPSE, Rgb.BLUE, 160, 100, 300, 150, -23, 7, Duration.ZERO, Duration.ofDays(1)),
            Shape.rectangle(Rgb.YELLOW, 50, 50, 500, 20, -15, 9)};
        return List.of(
                new Workload("h264-640x360", VideoSpec.of(640, 360, 30, length).withFrameCode()
                        .withEncoding(VideoSpec.Encoding.MP4_H264).withShapes(shapes)),
                new Workload("mpeg4-1280x720", VideoSpec.of(1280, 720, 30, length).withFrameCode()
                        .withEncoding(VideoSpec.Encoding.MP4_MPEG4).withShapes(shapes)));
    }

    private Map<String, Object> measure(FfmpegCli cli, Workload workload, Path file, Policy policy,
                                        Preprocessor preprocessor, Path dir, double encodeSeconds)
            throws VideoException, IOException, InterruptedException {
        VideoSource source = VideoSource.file(file);
        VideoLimits limits = VideoLimits.defaults();
        Frames warm = VideoSampler.sample(source, policy.policy(), preprocessor, limits);
        long[] selected = warm.sourceFrameIndices();
        long videoFrames = warm.video().frameCount().orElseThrow();
        long decoded;
        try (FrameStream stream = VideoSampler.open(source, policy.policy(), preprocessor, limits)) {
            while (stream.next().isPresent()) {
                // count what the decoder had to produce
            }
            decoded = stream.framesDecoded();
        }
        double[] vlflow = new double[repeat];
        for (int i = 0; i < repeat; i++) {
            long start = System.nanoTime();
            Frames frames = VideoSampler.sample(source, policy.policy(), preprocessor, limits);
            vlflow[i] = (System.nanoTime() - start) / 1e9;
            if (frames.frames() != selected.length) {
                throw new IllegalStateException("vlflow sampled " + frames.frames() + " frames, expected "
                        + selected.length);
            }
        }
        long[] distinct = Arrays.stream(selected).distinct().toArray();
        Path errors = dir.resolve("ffmpeg-errors.txt");
        long expectedBytes = (long) distinct.length * SIDE * SIDE * 3;
        cli.sample(file, distinct, SIDE, SIDE, errors);
        double[] ffmpegTimes = new double[repeat];
        for (int i = 0; i < repeat; i++) {
            long start = System.nanoTime();
            long bytes = cli.sample(file, distinct, SIDE, SIDE, errors);
            ffmpegTimes[i] = (System.nanoTime() - start) / 1e9;
            if (bytes != expectedBytes) {
                throw new IllegalStateException("ffmpeg wrote " + bytes + " bytes, expected " + expectedBytes);
            }
        }
        double v = median(vlflow);
        double f = median(ffmpegTimes);
        System.out.printf(Locale.ROOT, "%-20s %-11s %7d %9d %9d %10.3f %10.3f %9.0f %9.0f %7.2f%n", workload.name(),
                policy.name(), videoFrames, selected.length, decoded, v, f, videoFrames / v, videoFrames / f, f / v);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("video", workload.name());
        row.put("policy", policy.name());
        row.put("video_frames", videoFrames);
        row.put("sampled_frames", selected.length);
        row.put("vlflow_decoded_frames", decoded);
        row.put("vlflow_seconds", v);
        row.put("ffmpeg_seconds", f);
        row.put("vlflow_frames_per_s", videoFrames / v);
        row.put("ffmpeg_frames_per_s", videoFrames / f);
        row.put("ratio", f / v);
        row.put("encode_seconds", encodeSeconds);
        return row;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
