package dev.vlflow.pipeline.eval;

import dev.vlflow.engine.VlModel;
import dev.vlflow.vision.Frames;
import dev.vlflow.vision.SamplingPolicy;
import dev.vlflow.vision.VideoLimits;
import dev.vlflow.vision.VideoSampler;
import dev.vlflow.vision.VideoSource;
import dev.vlflow.vision.preprocess.Preprocessor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Frame sampling through the vision module: uniform frames over the whole video (lmms-eval's indices), preprocessed
 * as the checkpoint's processor config says; local files only. The frame rate subtitles are aligned with is the
 * stream's average rate (what {@code cv2.CAP_PROP_FPS} reports), else frames over duration. Videos are read from
 * one folder only: the one given ({@link #under}, what {@code eval videomme --videos} names), else each video's own
 * folder.
 */
public final class VisionFrameSamplers implements FrameSamplerFactory {

    private static final long serialVersionUID = 1L;

    private final String root; // null: each video's own folder

    /** Each video read from its own folder (a person's own files: training export, statistics). */
    public VisionFrameSamplers() {
        this.root = null;
    }

    private VisionFrameSamplers(Path root) {
        this.root = root.toAbsolutePath().normalize().toString();
    }

    /** Videos read from inside {@code root} only (symbolic links followed): a data set's video folder. */
    public static VisionFrameSamplers under(Path root) {
        return new VisionFrameSamplers(root);
    }

    @Override
    public FrameSampler create(VlModel model) {
        Preprocessor preprocessor;
        try {
            preprocessor = Preprocessor.forModel(model.directory());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the processor config of " + model.directory(), e);
        }
        return (video, n) -> sample(video, n, preprocessor, root == null ? video.toAbsolutePath().getParent()
                : Path.of(root));
    }

    static SampledVideo sample(Path video, int n, Preprocessor preprocessor, Path dir) throws Exception {
        Frames frames = VideoSampler.sample(VideoSource.file(video), new SamplingPolicy.Uniform(n), preprocessor,
                VideoLimits.localFiles(dir));
        return new SampledVideo(frames.toArray(), frames.frames(), frames.sourceFrameIndices(), fps(frames));
    }

    private static double fps(Frames frames) {
        var info = frames.video();
        if (info.frameRate().isPresent() && info.frameRate().getAsDouble() > 0) {
            return info.frameRate().getAsDouble();
        }
        if (info.frameCount().isPresent() && info.duration().isPresent()
                && info.duration().get().toNanos() > 0) {
            return info.frameCount().getAsLong() / (info.duration().get().toNanos() / 1e9);
        }
        return 1;
    }
}
