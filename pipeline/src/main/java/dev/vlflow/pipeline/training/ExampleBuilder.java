package dev.vlflow.pipeline.training;

import dev.vlflow.connectors.videomme.PromptStyle;
import dev.vlflow.connectors.videomme.SubtitleInput;
import dev.vlflow.connectors.videomme.VideoMmePrompt;
import dev.vlflow.connectors.videomme.VideoMmeQuestion;
import dev.vlflow.connectors.videomme.VideoMmeVideo;
import dev.vlflow.engine.text.PromptBuilder;
import dev.vlflow.engine.text.TextTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Turns a video's questions into training examples whose prompt ids are exactly those the engine prefills when the
 * evaluation asks the question: the question text is {@link VideoMmePrompt#build} (what {@code eval videomme}
 * passes to {@code VlSession.ask}), rendered by the checkpoint's chat template with the engine's system prompt and
 * the video placeholder expanded ({@link PromptBuilder}).
 *
 * <p>Not thread-safe (one random stream for the option re-orderings).
 */
public final class ExampleBuilder {

    private final PromptBuilder prompts;
    private final TextTokenizer tokenizer;
    private final int endOfAnswer;
    private final ExportOptions options;
    private final Random rng;
    private int skippedAmbiguous;

    /**
     * @param endOfAnswer id closing every target ({@code <|im_end|>}, the first eos id)
     */
    public ExampleBuilder(PromptBuilder prompts, TextTokenizer tokenizer, int endOfAnswer, ExportOptions options) {
        this.prompts = prompts;
        this.tokenizer = tokenizer;
        this.endOfAnswer = endOfAnswer;
        this.options = options;
        this.rng = new Random(options.seed());
    }

    /** Questions whose letter examples were left out because two options read the same. */
    public int skippedAmbiguous() {
        return skippedAmbiguous;
    }

    /**
     * The examples of one video.
     *
     * @param row       the video's row in the pixel file
     * @param subtitles the subtitle lines aligned to the sampled frames, or {@link SubtitleInput.Off} when the video
     *                  has none or subtitles are not exported
     */
    public List<TrainingExample> examples(int row, VideoMmeVideo video, SubtitleInput subtitles) {
        List<TrainingExample> out = new ArrayList<>();
        for (VideoMmeQuestion q : video.questions()) {
            if (options.kinds().contains(ExampleKind.LETTER) || options.kinds().contains(ExampleKind.LOOKUP)) {
                if (OptionShuffle.hasDuplicateOptions(q)) {
                    skippedAmbiguous++;
                } else {
                    letters(row, video, q, subtitles, out);
                }
            }
            if (options.kinds().contains(ExampleKind.SENTENCE) && q.answerSentence().isPresent()) {
                out.add(example(row, video, q, ExampleKind.SENTENCE, 0, "question", q.question(),
                        q.answerSentence().get()));
            }
        }
        return out;
    }

    private void letters(int row, VideoMmeVideo video, VideoMmeQuestion q, SubtitleInput subtitles,
                         List<TrainingExample> out) {
        List<VideoMmeQuestion> variants = new ArrayList<>();
        variants.add(q);
        for (int i = 0; i < options.shuffles(); i++) {
            variants.add(OptionShuffle.shuffle(q, rng));
        }
        for (int v = 0; v < variants.size(); v++) {
            VideoMmeQuestion variant = variants.get(v);
            if (options.kinds().contains(ExampleKind.LOOKUP) && q.answerSentence().isPresent()) {
                VideoMmeQuestion stated = new VideoMmeQuestion(variant.questionId(), variant.taskType(),
                        q.answerSentence().get() + " " + variant.question(), variant.options(), variant.answer(),
                        variant.answerSentence());
                String text = VideoMmePrompt.build(PromptStyle.OFFICIAL, stated, new SubtitleInput.Off());
                out.add(example(row, video, variant, ExampleKind.LOOKUP, v, "lookup", text,
                        options.answer().target(variant)));
            }
            if (!options.kinds().contains(ExampleKind.LETTER)) {
                continue;
            }
            for (PromptStyle style : options.styles()) {
                String text = VideoMmePrompt.build(style, variant, new SubtitleInput.Off());
                out.add(example(row, video, variant, ExampleKind.LETTER, v, style.name().toLowerCase(Locale.ROOT),
                        text, options.answer().target(variant)));
            }
            if (subtitles instanceof SubtitleInput.Lines) {
                String text = VideoMmePrompt.build(PromptStyle.OFFICIAL, variant, subtitles);
                out.add(example(row, video, variant, ExampleKind.LETTER, v, "official_subtitles", text,
                        options.answer().target(variant)));
            }
        }
    }

    private TrainingExample example(int row, VideoMmeVideo video, VideoMmeQuestion q, ExampleKind kind, int variant,
                                    String form, String promptText, String target) {
        int[] input = prompts.videoQuestion(promptText, options.frames()).tokenIds();
        int[] answer = tokenizer.encode(target);
        int[] targetIds = Arrays.copyOf(answer, answer.length + 1);
        targetIds[answer.length] = endOfAnswer;
        return new TrainingExample(row, video.videoId(), q.questionId(), q.taskType(), kind, variant, form,
                promptText, input, target, targetIds, q.answer());
    }
}
