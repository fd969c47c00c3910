package dev.vlflow.operators.model;

import dev.vlflow.conf.DecodingSpec;
import dev.vlflow.conf.KvSpec;
import dev.vlflow.conf.ModelSpec;
import dev.vlflow.conf.ZipVlSpec;
import dev.vlflow.connectors.events.Question;
import dev.vlflow.connectors.events.SamplingSpec;
import dev.vlflow.engine.EngineOptions;
import dev.vlflow.engine.GenerationOptions;
import dev.vlflow.engine.KvCacheFactory;
import dev.vlflow.engine.Sampling;
import dev.vlflow.engine.decode.Decoding;
import dev.vlflow.engine.decode.DrafterSpec;
import dev.vlflow.engine.decode.LayerSkipping;
import dev.vlflow.engine.decode.NgramIndex;
import dev.vlflow.engine.decode.SkipSource;
import dev.vlflow.engine.onnx.ExecutionProvider;
import dev.vlflow.engine.quant.WeightPrecision;
import dev.vlflow.engine.zipvl.ZipVlOptions;
import dev.vlflow.kv.KvCacheConfig;
import dev.vlflow.kv.PrecisionPolicy;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/** The one place configuration records become engine options. */
public final class EngineSettings {

    private EngineSettings() {
    }

    /**
     * The quantized cache a KV spec asks for, or empty for a float cache ({@code fp32}).
     *
     * @throws IllegalArgumentException an unknown precision
     */
    public static Optional<KvCacheConfig> cacheConfig(KvSpec kv) {
        PrecisionPolicy policy = PrecisionPolicy.parse(kv.precision());
        if (policy instanceof PrecisionPolicy.FullPrecision) {
            return Optional.empty();
        }
        return Optional.of(new KvCacheConfig(policy, kv.pageTokens(), kv.groupSize(), kv.fpWindow()));
    }

    /**
     * Engine options of a model spec. New sessions get float caches, or with ZipVL the mixed 4/2 cache whose bits
     * ZipVL chooses; the streaming job makes a stream's cache itself ({@link #cacheConfig}), so one loaded model
     * serves jobs of any cache precision.
     */
    public static EngineOptions engineOptions(ModelSpec spec) {
        ExecutionProvider provider = switch (spec.provider()) {
            case "cuda" -> ExecutionProvider.cuda();
            default -> ExecutionProvider.cpu();
        };
        Optional<String> system = spec.systemPrompt().isEmpty() ? Optional.empty() : Optional.of(spec.systemPrompt());
        Optional<ZipVlOptions> zipvl = zipVl(spec.zipvl());
        KvCacheFactory caches = zipvl.isPresent()
                ? KvCacheFactory.of(KvCacheConfig.of(new PrecisionPolicy.MixedByImportance(4, 2, zipvl.get().tau())))
                : KvCacheFactory.floats();
        return new EngineOptions(provider, spec.prefillChunk(), spec.visionBatch(), caches, system, zipvl,
                WeightPrecision.parse(spec.weights()));
    }

    /** The engine's ZipVL options of a spec; empty when off. */
    public static Optional<ZipVlOptions> zipVl(ZipVlSpec spec) {
        if (spec instanceof ZipVlSpec.On on) {
            return Optional.of(new ZipVlOptions(on.tau(), on.probesRecent(), on.probesRandom(),
                    Set.copyOf(on.denseLayers()), OptionalDouble.empty(), ZipVlOptions.Attention.SPARSE,
                    on.decodeInterval(), on.demote() ? ZipVlOptions.Demotion.DEMOTE : ZipVlOptions.Demotion.KEEP, 0,
                    on.dropAfter() == 0 ? ZipVlOptions.Dropping.OFF : ZipVlOptions.Dropping.after(on.dropAfter())));
        }
        return Optional.empty();
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
        return new GenerationOptions(maxNewTokens, sampling, List.of(), decoding(defaults.speculation()));
    }

    /** The engine's decoding for a speculation spec: the one place a configured drafter becomes a drafter. */
    public static Decoding decoding(DecodingSpec.Speculation s) {
        if (s.ulsSpeedup() > 1) {
            return new Decoding(new DrafterSpec.None(), new LayerSkipping.Unified(s.ulsSpeedup()));
        }
        return Decoding.of(switch (s.drafter()) {
            case NONE -> new DrafterSpec.None();
            case PROMPT_LOOKUP -> new DrafterSpec.PromptLookup(s.minNgram(), NgramIndex.MAX_N, s.draftLength(), 1);
            case LAYER_SKIP -> new DrafterSpec.LayerSkip(s.draftLength(), skipSource(s));
            case TREE -> new DrafterSpec.Tree(s.draftLength(), skipSource(s), s.treeWidth());
            case DRAFT_HEAD -> new DrafterSpec.Head(s.draftLength(), s.treeWidth());
        });
    }

    private static SkipSource skipSource(DecodingSpec.Speculation s) {
        if (s.skipAttention().isEmpty() && s.skipMlp().isEmpty()) {
            return SkipSource.Searched.defaults();
        }
        BitSet attention = new BitSet();
        s.skipAttention().forEach(attention::set);
        BitSet mlp = new BitSet();
        s.skipMlp().forEach(mlp::set);
        return new SkipSource.Configured(attention, mlp);
    }

    /** The text asked: the question, then its options one a line. */
    public static String prompt(Question question) {
        if (question.getOptions().isEmpty()) {
            return question.getText();
        }
        return question.getText() + "\n" + String.join("\n", question.getOptions());
    }
}
