package dev.vlflow.pipeline.eval;

import java.nio.file.Path;

/** Samples N frames uniformly over a video file and preprocesses them for a model. */
@FunctionalInterface
public interface FrameSampler {

    /**
     * @param video  the video file
     * @param frames how many frames, evenly spaced from the first to the last ({@code np.linspace(0, n-1, N, int)})
     */
    SampledVideo sample(Path video, int frames) throws Exception;
}
