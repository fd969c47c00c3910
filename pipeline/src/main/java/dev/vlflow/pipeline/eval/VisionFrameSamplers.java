package dev.vlflow.pipeline.eval;

import dev.vlflow.engine.VlModel;
import dev.vlflow.vision.Frames;
import dev.vlflow.vision.SamplingPolicy;
import dev.vlflow.vision.VideoLimits;
import dev.vlflow.vision.VideoSampler;
import dev.vlflow.vision.VideoSource;
import dev.vlflow.vision.preprocess.Preprocessor;
import dev.vlflow.vision.preprocess.ResizeMethod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Frame sampling through the vision module: uniform frames over the whole video (lmms-eval's indices), preprocessed
 * as the checkpoint's processor config says, resized by the chosen {@link ResizeMethod}; local files only. The frame
 * rate subtitles are aligned with is the stream's average rate (what {@code cv2.CAP_PROP_FPS} reports), else frames
 * over duration. Videos are read from one folder only: the one given ({@link #within}, what {@code eval videomme
 * --videos} names), else each video's own folder.
 */
public final class VisionFrameSamplers implements FrameSamplerFactory {

    private static final long serialVersionUID = 1L;

    private final ResizeMethod resize;
    private final String root; // null: each video's own folder

    /** Resizing as Hugging Face's processors do; each video read from its own folder (a person's own files). */
    public VisionFrameSamplers() {
        this(ResizeMethod.HF);
    }

    /** Each video read from its own folder, resized by {@code resize}. */
    public VisionFrameSamplers(ResizeMethod resize) {
        this(resize, null);
    }

    private VisionFrameSamplers(ResizeMethod resize, Path root) {
        this.resize = java.util.Objects.requireNonNull(resize, "resize");
        this.root = root == null ? null : root.toAbsolutePath().normalize().toString();
    }

    /** These samplers, reading videos from inside {@code root} only (symbolic links followed): a data set's folder. */
    public VisionFrameSamplers within(Path root) {
        return new VisionFrameSamplers(resize, root);
    }

    @Override
    public FrameSampler create(VlModel model) {
        Preprocessor preprocessor;
        try {
            preprocessor = Preprocessor.forModel(model.directory(), resize);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the processor config of " + model.directory(), e);
        }
        return (video, n) -> sample(video, n, preprocessor, root == null ? video.toAbsolutePath().getParent()
                : Path.of(root));
    }

    static SampledVideo sample(Path video, int n, Preprocessor preprocessor, Path dir) throws Exception {
        Frames frames = VideoSampler.sample(VideoSource.file(video), new SamplingPolicy.Uniform(n), preprocessor,
                VideoLimits.localFiles(dir));
        long[] indices = frames.sourceFrameIndices();
        long total = frames.video().frameCount().orElse(indices[indices.length - 1] + 1);
        return new SampledVideo(frames.toArray(), frames.frames(), indices, fps(frames), total);
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
