package dev.vlflow.bench.resize;

import dev.vlflow.bench.Json;
import dev.vlflow.vision.preprocess.Preprocessor;
import dev.vlflow.vision.preprocess.ProcessorConfig;
import dev.vlflow.vision.preprocess.ResizeMethod;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.bytedeco.opencv.global.opencv_core;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vlflow bench resize}: time to preprocess one frame (resize to the model's size, rescale, normalize to planar
 * floats) with the HF resize (torchvision's antialiased bicubic, the default) and with OpenCV's cubic, on the same
 * frame in the same run. The HF resize runs on the calling thread; OpenCV spreads {@code cv::resize} over its own
 * thread pool, so it is timed both ways (its default, and {@code cv::setNumThreads(1)}). The ratios are HF's time
 * over OpenCV's (above 1: OpenCV faster).
 */
@Command(name = "resize", mixinStandardHelpOptions = true,
        description = "Frame preprocessing time: HF (antialiased) resize vs OpenCV resize, same frames, one thread.")
public final class ResizeBench implements Callable<Integer> {

    @Option(names = "--frames", defaultValue = "200", description = "frames timed per case and method, after as many"
            + " warm-up frames (default ${DEFAULT-VALUE})")
    int frames;

    @Option(names = "--json", description = "end with one line holding a JSON object of the figures")
    boolean json;

    /** A source size and the size the model wants. */
    private record Case(int width, int height, int outWidth, int outHeight) {
        String name() {
            return width + "x" + height + "->" + outWidth + "x" + outHeight;
        }
    }

    @Override
    public Integer call() {
        if (frames <= 0) {
            throw new IllegalArgumentException("--frames must be positive, got " + frames);
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        System.out.printf(Locale.ROOT, "%-22s %10s %10s %8s %12s %8s%n", "frame", "hf ms", "opencv ms", "hf/cv",
                "cv 1-thr ms", "hf/cv1");
        for (Case c : new Case[] {new Case(640, 360, 384, 384), new Case(1280, 720, 384, 384),
            new Case(128, 128, 112, 112)}) {
            byte[] frame = frame(c.width(), c.height());
            ProcessorConfig config = ProcessorConfig.llavaOnevision().withSize(c.outHeight(), c.outWidth());
            double hf = millisPerFrame(new Preprocessor(config, ResizeMethod.HF), frame, c);
            double cv = millisPerFrame(new Preprocessor(config, ResizeMethod.OPENCV), frame, c);
            int threads = opencv_core.getNumThreads();
            double cv1;
            try {
                opencv_core.setNumThreads(1);
                cv1 = millisPerFrame(new Preprocessor(config, ResizeMethod.OPENCV), frame, c);
            } finally {
                opencv_core.setNumThreads(threads);
            }
            System.out.printf(Locale.ROOT, "%-22s %10.3f %10.3f %8.2f %12.3f %8.2f%n", c.name(), hf, cv, hf / cv, cv1,
                    hf / cv1);
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("hf_ms", hf);
            f.put("opencv_ms", cv);
            f.put("opencv_threads", threads);
            f.put("opencv_one_thread_ms", cv1);
            f.put("hf_over_opencv", hf / cv);
            f.put("hf_over_opencv_one_thread", hf / cv1);
            figures.put(c.name(), f);
        }
        if (json) {
            System.out.println(Json.of(figures));
        }
        return 0;
    }

    /** Median over five rounds of the mean time per frame. */
    private double millisPerFrame(Preprocessor p, byte[] frame, Case c) {
        for (int i = 0; i < frames; i++) {
            p.apply(frame, c.width(), c.height());
        }
        double[] rounds = new double[5];
        int perRound = Math.max(1, frames / rounds.length);
        for (int r = 0; r < rounds.length; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < perRound; i++) {
                p.apply(frame, c.width(), c.height());
            }
            rounds[r] = (System.nanoTime() - t0) / 1e6 / perRound;
        }
        Arrays.sort(rounds);
        return rounds[rounds.length / 2];
    }

    /** A camera-like frame: smooth gradients, edges and noise. */
    private static byte[] frame(int width, int height) {
        byte[] rgb = new byte[width * height * 3];
        Random random = new Random(7);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < 3; c++) {
                    double v = 128 + 90 * Math.sin(x * 0.03 * (c + 1)) * Math.cos(y * 0.05)
                            + (((x / 37) + (y / 23)) % 2 == 0 ? 30 : -30) + random.nextGaussian() * 8;
                    rgb[(y * width + x) * 3 + c] = (byte) Math.max(0, Math.min(255, v));
                }
            }
        }
        return rgb;
    }
}
