package dev.vlflow.bench.video;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code ffmpeg} command line doing what {@code VideoSampler} does: decode, keep the given frames
 * ({@code select} by frame number), resize to the model's input with bicubic, convert to packed RGB, and write
 * them to a pipe that this process reads.
 */
final class FfmpegCli {

    private final String executable;

    FfmpegCli(String executable) {
        this.executable = executable;
    }

    /** The first line of {@code ffmpeg -version}, or a failure when ffmpeg cannot be run. */
    String version() throws IOException, InterruptedException {
        Process process = new ProcessBuilder(executable, "-hide_banner", "-version").redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IOException(executable + " -version failed: " + output);
        }
        return output.lines().findFirst().orElse("ffmpeg");
    }

    /**
     * {@code eq(n,a)+eq(n,b)+…} as a balanced tree: ffmpeg's expression parser gives up on long flat sums (its
     * recursion depth is limited), a tree stays log₂(frames) deep.
     */
    private static String anyOf(long[] frames, int from, int to) {
        if (to - from == 1) {
            return "eq(n\\," + frames[from] + ")";
        }
        int mid = (from + to) >>> 1;
        return "(" + anyOf(frames, from, mid) + "+" + anyOf(frames, mid, to) + ")";
    }

    /**
     * Runs ffmpeg once and reads all its output.
     *
     * @param frames frame numbers to keep (presentation order, distinct, ascending)
     * @return bytes ffmpeg wrote: frames × height × width × 3 when it kept them all
     */
    long sample(Path video, long[] frames, int width, int height, Path errors) throws IOException,
            InterruptedException {
        String select = "select='" + anyOf(frames, 0, frames.length) + "'";
        List<String> command = new ArrayList<>(List.of(executable, "-hide_banner", "-nostdin", "-v", "error",
                "-threads", "0", "-i", video.toString(),
                "-vf", select + ",scale=" + width + ":" + height + ":flags=bicubic,format=rgb24",
                "-fps_mode", "passthrough", "-f", "rawvideo", "-"));
        Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
        long bytes = 0;
        byte[] buffer = new byte[1 << 20];
        try (InputStream out = process.getInputStream()) {
            for (int n; (n = out.read(buffer)) >= 0; ) {
                bytes += n;
            }
        }
        if (process.waitFor() != 0) {
            throw new IOException("ffmpeg failed: " + Files.readString(errors));
        }
        return bytes;
    }
}
