package dev.vlflow.pipeline.attention;

import dev.vlflow.engine.Answer;
import dev.vlflow.engine.GenerationOptions;
import dev.vlflow.engine.SessionState;
import dev.vlflow.engine.TokenListener;
import dev.vlflow.engine.VlModel;
import dev.vlflow.engine.VlSession;
import dev.vlflow.engine.runtime.AttentionProbe;
import dev.vlflow.engine.runtime.AttentionProfile;
import dev.vlflow.engine.text.ChatTemplate;
import dev.vlflow.engine.text.PromptBuilder;
import dev.vlflow.engine.text.VideoPrompt;
import dev.vlflow.pipeline.eval.SampledVideo;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures how concentrated a model's attention is on the video: the prompt is prefilled exactly as evaluation
 * does it (a session's {@code appendFrames}, then {@code ask} on a fork: header, frames, newline row, question
 * through the chat template) on a cache wrapped in an {@link AttentionProbe} whose probes are the prompt's last
 * positions; each layer's probe mass on the video slots then gives a {@link LayerConcentration}.
 */
public final class AttentionStats {

    private AttentionStats() {
    }

    /**
     * @param question the user text after the video, as {@code ask} and evaluation pass it
     * @param probes   how many of the prompt's last positions are probe queries
     * @param tau      share of the video mass to hold
     */
    public static AttentionReport measure(VlModel model, SampledVideo video, String question, int probes,
                                          double tau) {
        VideoPrompt prompt = new PromptBuilder(ChatTemplate.fromDirectory(model.directory()), model.tokenizer(),
                model.config(), model.options().systemPrompt()).videoQuestion(question, video.frames());
        int length = prompt.length();
        if (probes <= 0 || probes > length) {
            throw new IllegalArgumentException(probes + " probes for a prompt of " + length + " tokens");
        }
        AttentionProbe cache = AttentionProbe.around(model.options().kvCache().create(model.cacheShape()),
                length - probes, length);
        VlSession session = model.resumeSession(cache, new SessionState(0, 0));
        session.appendFrames(model.encodeFrames(video.pixels(), video.frames()));
        Answer answer = session.ask(question, GenerationOptions.greedy(1), TokenListener.none());
        if (answer.contextTokens() != prompt.videoEnd() - 1 || answer.contextTokens() + answer.promptTokens() != length) {
            throw new IllegalStateException("the session prefilled " + answer.contextTokens() + " + "
                    + answer.promptTokens() + " tokens but the prompt is " + prompt);
        }
        AttentionProfile profile = cache.profile();
        List<LayerConcentration> layers = new ArrayList<>(profile.layers());
        for (int layer = 0; layer < profile.layers(); layer++) {
            layers.add(VisualConcentration.of(profile, layer, prompt.videoStart(), prompt.videoEnd(), tau));
        }
        return new AttentionReport(length, prompt.videoStart(), prompt.videoTokens(), video.frames(), probes, tau,
                layers);
    }
}
