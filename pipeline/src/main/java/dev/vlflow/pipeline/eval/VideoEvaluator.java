package dev.vlflow.pipeline.eval;

import dev.vlflow.connectors.videomme.PromptStyle;
import dev.vlflow.connectors.videomme.SrtReader;
import dev.vlflow.connectors.videomme.SubtitleInput;
import dev.vlflow.connectors.videomme.Subtitles;
import dev.vlflow.connectors.videomme.VideoMmeFiles;
import dev.vlflow.connectors.videomme.VideoMmePrompt;
import dev.vlflow.connectors.videomme.VideoMmeQuestion;
import dev.vlflow.connectors.videomme.VideoMmeVideo;
import dev.vlflow.engine.Answer;
import dev.vlflow.engine.FrameEmbeddings;
import dev.vlflow.engine.GenerationOptions;
import dev.vlflow.engine.KvCacheFactory;
import dev.vlflow.engine.SessionState;
import dev.vlflow.operators.model.EngineSettings;
import dev.vlflow.engine.TokenListener;
import dev.vlflow.engine.VlModel;
import dev.vlflow.engine.VlSession;
import dev.vlflow.kv.KvCache;
import dev.vlflow.kv.KvCacheConfig;
import dev.vlflow.kv.PrecisionPolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Evaluates one video: sample → encode → prefill the video once → answer each question on a fork of that cache
 * (greedy, at most {@code maxNewTokens}) → extract the letter. Without prefix sharing every question gets a fresh
 * session and prefills the video again (the frames are encoded once either way).
 *
 * <p>Thread-safe: several videos may be evaluated at once on one model (each has its own sessions).
 */
public final class VideoEvaluator {

    private final VlModel model;
    private final FrameSampler sampler;
    private final VideoMmeFiles files;
    private final EvalOptions options;

    public VideoEvaluator(VlModel model, FrameSampler sampler, VideoMmeFiles files, EvalOptions options) {
        this.model = model;
        this.sampler = sampler;
        this.files = files;
        this.options = options;
    }

    public VideoOutcome evaluate(VideoMmeVideo video) {
        Optional<Path> file = files.video(video);
        if (file.isEmpty()) {
            return new VideoOutcome.Failed(video.videoId(), "no video file (tried " + files.videoCandidates(video)
                    + " and other extensions)");
        }
        long startMillis = System.currentTimeMillis();
        long t0 = System.nanoTime();
        SampledVideo frames;
        SubtitleInput subtitles;
        try {
            frames = sampler.sample(file.get(), options.frames());
            subtitles = subtitles(video, frames);
        } catch (Exception e) {
            return new VideoOutcome.Failed(video.videoId(), "cannot read " + file.get() + ": " + e.getMessage());
        }
        long t1 = System.nanoTime();
        FrameEmbeddings embeddings = model.encodeFrames(frames.pixels(), frames.frames());
        long t2 = System.nanoTime();
        double decodeMs = (t1 - t0) / 1e6;
        double encodeMs = (t2 - t1) / 1e6;
        VlSession shared = null;
        double sharedPrefixMs = 0;
        int prefills = 0;
        if (options.prefixSharing()) {
            long p0 = System.nanoTime();
            shared = prefill(embeddings);
            prefills++;
            sharedPrefixMs = (System.nanoTime() - p0) / 1e6;
        }
        List<Prediction> out = new ArrayList<>();
        for (VideoMmeQuestion q : video.questions()) {
            String prompt = VideoMmePrompt.build(options.prompt(), q, subtitles);
            GenerationOptions generation = GenerationOptions.greedy(options.maxNewTokens())
                    .withDecoding(EngineSettings.decoding(options.speculation()));
            VlSession session = shared;
            double prefixMs = sharedPrefixMs;
            Answer a;
            if (options.zipvl().questionProbes()) {
                // ZipVL ranks the video tokens with the question's rows: header, frames and question in one block
                a = emptySession().askWholePrompt(embeddings, prompt, generation, TokenListener.none());
                prefills++;
                prefixMs = 0; // inside the answer's time
            } else {
                if (session == null) {
                    long p0 = System.nanoTime();
                    session = prefill(embeddings);
                    prefills++;
                    prefixMs = (System.nanoTime() - p0) / 1e6;
                }
                a = session.ask(prompt, generation, TokenListener.none());
            }
            QuestionCost cost = new QuestionCost(frames.frames(), a.contextTokens(), a.promptTokens(),
                    a.tokenIds().size(), a.kvBytes(), decodeMs, encodeMs, prefixMs, options.prefixSharing(),
                    a.totalNanos() / 1e6, a.timeToFirstTokenNanos() / 1e6);
            out.add(new Prediction(q.questionId(), video.videoId(), video.duration(), video.domain(),
                    video.subCategory(), q.taskType(), q.answer(), a.text(), options.extraction().extract(a.text()), cost));
        }
        return new VideoOutcome.Answered(video.videoId(), out, prefills, startMillis, System.currentTimeMillis());
    }

    private VlSession prefill(FrameEmbeddings embeddings) {
        VlSession session = emptySession();
        session.appendFrames(embeddings);
        return session;
    }

    private VlSession emptySession() {
        KvCache cache = KvCacheFactory.of(KvCacheConfig.of(PrecisionPolicy.parse(options.kv())))
                .create(model.cacheShape());
        return model.resumeSession(cache, new SessionState(0, 0));
    }

    private SubtitleInput subtitles(VideoMmeVideo video, SampledVideo frames) {
        if (!options.subtitles()) {
            return SubtitleInput.off();
        }
        Optional<Path> srt = files.subtitles(video);
        if (srt.isEmpty()) {
            return new SubtitleInput.Missing();
        }
        Subtitles track = SrtReader.read(srt.get());
        return new SubtitleInput.Lines(track.alignedTo(subtitleFrames(options.prompt(), frames), frames.fps()));
    }

    /**
     * The frames whose subtitle cues go into the prompt: lmms-eval selects them at 32 uniform frames of the whole
     * video whatever the model samples; the official guidance at the model's own frames.
     */
    static int[] subtitleFrames(PromptStyle prompt, SampledVideo frames) {
        return prompt == PromptStyle.LMMS_EVAL
                ? frames.uniformIndices(EvalOptions.LMMS_EVAL_SUBTITLE_FRAMES) : frames.frameIndicesInt();
    }
}
