package dev.vlflow.pipeline.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vlflow.connectors.videomme.AnnotationReader;
import dev.vlflow.connectors.videomme.Annotations;
import dev.vlflow.connectors.videomme.PromptStyle;
import dev.vlflow.connectors.videomme.SrtReader;
import dev.vlflow.connectors.videomme.SubtitleInput;
import dev.vlflow.connectors.videomme.VideoMmeFiles;
import dev.vlflow.connectors.videomme.VideoMmeVideo;
import dev.vlflow.engine.VlModel;
import dev.vlflow.engine.text.ChatTemplate;
import dev.vlflow.engine.text.PromptBuilder;
import dev.vlflow.pipeline.eval.FrameSampler;
import dev.vlflow.pipeline.eval.SampledVideo;
import dev.vlflow.pipeline.eval.VisionFrameSamplers;
import dev.vlflow.pipeline.progress.Progress;
import dev.vlflow.pipeline.progress.ProgressDisplay;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Exports a Video-MME-format data set as training data for the project's own model, seen exactly as the evaluation
 * sees it: per video, the frames {@code eval videomme} samples and preprocesses ({@link VisionFrameSamplers}, uniform
 * N frames, the checkpoint's processor config), and per question the prompt ids the engine prefills for the
 * evaluation's question text (see {@link ExampleBuilder}), with the answer ids to learn.
 *
 * <p>{@code annotations -> for each video: sample frames -> subtitles aligned to them -> examples -> writer}.
 */
public final class TrainingDataExporter {

    /** What an export produced. */
    public record Summary(Path out, int videos, int examples, Map<ExampleKind, Integer> byKind, int skippedAmbiguous,
                          List<String> failedVideos, double seconds) {
        public Summary {
            byKind = Map.copyOf(byKind);
            failedVideos = List.copyOf(failedVideos);
        }
    }

    private final VlModel model;
    private final FrameSampler sampler;
    private final PromptBuilder prompts;
    private final PrintStream progress;
    private final ProgressDisplay display;

    /** Uses {@code model}'s tokenizer, chat template, system prompt and processor config; does not close it. */
    public TrainingDataExporter(VlModel model, PrintStream progress) {
        this(model, progress, ProgressDisplay.none());
    }

    /**
     * As {@link #TrainingDataExporter(VlModel, PrintStream)}, with a bar per {@code display} (one step per video)
     * standing for the every-50-videos lines on {@code progress} where one is drawn.
     */
    public TrainingDataExporter(VlModel model, PrintStream progress, ProgressDisplay display) {
        this.display = display;
        this.model = model;
        this.sampler = new VisionFrameSamplers().create(model);
        this.prompts = new PromptBuilder(ChatTemplate.fromDirectory(model.directory()), model.tokenizer(),
                model.config(), model.options().systemPrompt());
        this.progress = progress;
    }

    /** Exports every video of {@code annotations} whose file is in {@code videoDir}. */
    public Summary export(Path annotations, Path videoDir, ExportOptions options, Path out) {
        long start = System.nanoTime();
        Annotations set = AnnotationReader.readFile(annotations);
        VideoMmeFiles files = new VideoMmeFiles(videoDir);
        int imageSize = model.config().vision().imageSize();
        int endOfAnswer = model.config().eosTokenIds().get(0);
        ExampleBuilder builder = new ExampleBuilder(prompts, model.tokenizer(), endOfAnswer, options);
        List<String> failed = new ArrayList<>();
        try (TrainingDataWriter writer = new TrainingDataWriter(out, options.frames(), imageSize);
             Progress bar = display.start("export", set.videos().size(), "videos")) {
            int done = 0;
            for (VideoMmeVideo video : set.videos()) {
                done++;
                bar.step();
                Optional<Path> file = files.video(video);
                if (file.isEmpty()) {
                    failed.add(video.videoId() + ": no video file");
                    continue;
                }
                SampledVideo frames;
                try {
                    frames = sampler.sample(file.get(), options.frames());
                } catch (Exception e) {
                    failed.add(video.videoId() + ": " + e.getMessage());
                    continue;
                }
                if (frames.frames() != options.frames()) {
                    failed.add(video.videoId() + ": " + frames.frames() + " frames, not " + options.frames());
                    continue;
                }
                SubtitleInput subtitles = subtitles(files, video, frames, options);
                List<String> lines = subtitles instanceof SubtitleInput.Lines l ? l.lines() : List.of();
                writer.addVideo(video.videoId(), file.get(), frames.pixels(), frames.frameIndices(), frames.fps(),
                        lines, builder.examples(writer.nextVideo(), video, subtitles));
                if (progress != null && !bar.drawsBar() && (done % 50 == 0 || done == set.videos().size())) {
                    progress.printf(Locale.ROOT, "export: %d/%d videos, %d examples%n", done, set.videos().size(),
                            writer.samples());
                }
            }
            writer.finish(meta(annotations, options, imageSize, endOfAnswer, builder.skippedAmbiguous()));
            return new Summary(out, writer.videos(), writer.samples(), writer.examplesByKind(),
                    builder.skippedAmbiguous(), failed, (System.nanoTime() - start) / 1e9);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out, e);
        }
    }

    private static SubtitleInput subtitles(VideoMmeFiles files, VideoMmeVideo video, SampledVideo frames,
                                           ExportOptions options) {
        if (!options.subtitles()) {
            return new SubtitleInput.Off();
        }
        Optional<Path> srt = files.subtitles(video);
        if (srt.isEmpty()) {
            return new SubtitleInput.Off();
        }
        // as the evaluation aligns them (VideoEvaluator): the cues that cover a sampled frame
        return new SubtitleInput.Lines(SrtReader.read(srt.get()).alignedTo(frames.frameIndicesInt(), frames.fps()));
    }

    private ObjectNode meta(Path annotations, ExportOptions options, int imageSize, int endOfAnswer, int skipped) {
        ObjectNode m = new ObjectMapper().createObjectNode();
        m.put("frames", options.frames());
        m.put("image_size", imageSize);
        m.put("channels", 3);
        m.put("tokens_per_frame", model.config().vision().tokensPerFrame());
        m.put("video_token_id", model.config().videoTokenId());
        m.put("end_of_answer_id", endOfAnswer);
        m.put("model", model.directory().getFileName().toString());
        m.put("annotations", annotations.getFileName().toString());
        var kinds = m.putArray("kinds");
        options.kinds().stream().sorted().forEach(k -> kinds.add(k.label()));
        var styles = m.putArray("styles");
        for (PromptStyle s : options.styles()) {
            styles.add(s.name().toLowerCase(Locale.ROOT));
        }
        m.put("shuffles", options.shuffles());
        m.put("subtitles", options.subtitles());
        m.put("seed", options.seed());
        m.put("letter_answer", options.answer().name().toLowerCase(Locale.ROOT));
        m.put("skipped_ambiguous_questions", skipped);
        model.options().systemPrompt().ifPresent(s -> m.put("system_prompt", s));
        return m;
    }
}
