package dev.vlflow.vision;

import dev.vlflow.vision.VideoException.Kind;
import dev.vlflow.vision.preprocess.Preprocessor;
import dev.vlflow.vision.preprocess.ProcessorConfig;
import dev.vlflow.vision.synthetic.VideoSpec.Encoding;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.Pointer;

/**
 * Decodes bad files in a loop and reports resident memory; run by {@link NativeResourceTest} in a JVM of its own
 * whose heap is fixed and pre-touched, so that resident memory moves only with native allocations.
 *
 * <p>Arguments: a scratch directory and the number of rounds. Prints one line
 * {@code RESULT <rounds> <failures> <resident bytes after warm-up> <resident bytes at the end>}.
 */
public final class BadFileLoop {

    /** Rounds before the baseline is taken (libraries loaded, code compiled, allocator warmed). */
    static final int WARM_UP = 200;

    private record Case(Path file, Kind kind) {
    }

    private BadFileLoop() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int rounds = Integer.parseInt(args[1]);
        BadFiles bad = new BadFiles(dir);
        Path good = bad.good(Encoding.MP4_MPEG4);
        List<Case> cases = List.of(
                new Case(bad.truncated(good, 0.5), Kind.TRUNCATED),
                new Case(bad.truncated(bad.good(Encoding.MP4_MPEG4_FASTSTART), 0.6), Kind.TRUNCATED),
                new Case(bad.text(), Kind.NOT_A_VIDEO),
                new Case(bad.audioOnly(), Kind.NOT_A_VIDEO),
                new Case(bad.unknownCodec(), Kind.UNSUPPORTED_CODEC),
                new Case(bad.y4m(16_000, 16_000), Kind.RESOLUTION_TOO_LARGE),
                new Case(bad.garbage(bad.good(Encoding.MKV_MPEG4), 0.5, 600), Kind.CORRUPT),
                new Case(bad.empty(), Kind.EMPTY),
                new Case(dir.resolve("missing.mp4"), Kind.NOT_FOUND));
        Preprocessor tiny = new Preprocessor(ProcessorConfig.llavaOnevision().withSize(8, 8));
        SamplingPolicy all = new SamplingPolicy.Fps(25, 1000);
        Map<Kind, Integer> seen = new EnumMap<>(Kind.class);
        int failures = 0;
        long baseline = 0;
        for (int round = 0; round < rounds; round++) {
            if (round == WARM_UP) {
                baseline = settledResidentBytes();
            }
            if (round % 10 == 9) {
                // A good stream abandoned after its first frame: close() must free a decoder mid-stream.
                try (FrameStream stream = VideoSampler.open(VideoSource.file(good), new SamplingPolicy.Live(5), tiny,
                        VideoLimits.defaults())) {
                    stream.next().orElseThrow();
                }
                continue;
            }
            Case c = cases.get(round % cases.size());
            try {
                VideoSampler.sample(VideoSource.file(c.file()), all, tiny, VideoLimits.defaults());
                System.out.println("UNEXPECTED success: " + c.file());
            } catch (VideoException e) {
                if (e.kind() == c.kind()) {
                    failures++;
                } else {
                    System.out.println("UNEXPECTED " + e.getMessage() + " (expected " + c.kind() + ")");
                }
                seen.merge(e.kind(), 1, Integer::sum);
            }
        }
        System.out.println("kinds " + seen);
        System.out.println("RESULT " + rounds + " " + failures + " " + baseline + " " + settledResidentBytes());
    }

    private static long settledResidentBytes() throws InterruptedException {
        System.gc();
        Thread.sleep(50);
        return Pointer.physicalBytes();
    }
}
