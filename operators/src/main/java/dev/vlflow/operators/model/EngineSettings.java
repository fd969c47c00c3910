package dev.vlflow.operators.model;

import dev.vlflow.conf.DecodingSpec;
import dev.vlflow.conf.ModelSpec;
import dev.vlflow.connectors.events.Question;
import dev.vlflow.connectors.events.SamplingSpec;
import dev.vlflow.engine.EngineOptions;
import dev.vlflow.engine.GenerationOptions;
import dev.vlflow.engine.KvCacheFactory;
import dev.vlflow.engine.Sampling;
import dev.vlflow.engine.onnx.ExecutionProvider;
import java.util.List;
import java.util.Optional;

/** The one place configuration records become engine options. */
public final class EngineSettings {

    private EngineSettings() {
    }

    /** Engine options of a model spec. The streaming job keeps float caches (its state pages are float32). */
    public static EngineOptions engineOptions(ModelSpec spec) {
        ExecutionProvider provider = switch (spec.provider()) {
            case "cuda" -> ExecutionProvider.cuda();
            default -> ExecutionProvider.cpu();
        };
        Optional<String> system = spec.systemPrompt().isEmpty() ? Optional.empty() : Optional.of(spec.systemPrompt());
        return new EngineOptions(provider, spec.prefillChunk(), spec.visionBatch(), KvCacheFactory.floats(), system);
    }

    /** Generation options of a question: its own limits and sampling where it has them, else the job's defaults. */
    public static GenerationOptions generation(DecodingSpec defaults, Question question) {
        int maxNewTokens = question.getMaxNewTokens() != null ? question.getMaxNewTokens() : defaults.maxNewTokens();
        Sampling sampling;
        SamplingSpec s = question.getSampling();
        if (s != null) {
            sampling = new Sampling.TopP(s.getTemperature(), s.getTopP(), s.getSeed());
        } else if (defaults.sampler() instanceof DecodingSpec.TopP t) {
            sampling = new Sampling.TopP(t.temperature(), t.topP(), t.seed());
        } else {
            sampling = Sampling.greedy();
        }
        return new GenerationOptions(maxNewTokens, sampling, List.of());
    }

    /** The text asked: the question, then its options one a line. */
    public static String prompt(Question question) {
        if (question.getOptions().isEmpty()) {
            return question.getText();
        }
        return question.getText() + "\n" + String.join("\n", question.getOptions());
    }
}
