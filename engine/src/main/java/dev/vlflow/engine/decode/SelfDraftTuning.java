package dev.vlflow.engine.decode;

import dev.vlflow.engine.runtime.LayerPlan;
import java.util.Optional;

/**
 * What a layer-skip drafter learns about one stream and keeps across its answers: the skip set (configured, or
 * searched on the first answers) and the adaptive confidence threshold γ of ALGORITHMS.md §3.1. Mutable; one owner
 * (the stream's session).
 */
public final class SelfDraftTuning {

    static final double GAMMA0 = 0.8;
    private static final double BETA1 = 0.5;
    private static final double TARGET_ACCEPTANCE = 0.9;
    private static final double EPSILON = 0.01;
    private static final double BETA2 = 0.9;

    private final SkipSource source;
    private Optional<LayerPlan> plan;
    private double gamma = GAMMA0;
    private double acceptanceEma = TARGET_ACCEPTANCE;
    private final SkipSearch search;

    private SelfDraftTuning(SkipSource source, Optional<LayerPlan> plan, SkipSearch search) {
        this.source = source;
        this.plan = plan;
        this.search = search;
    }

    /** Tuning for a model of {@code layers} decoder layers. */
    public static SelfDraftTuning of(SkipSource source, int layers) {
        if (source instanceof SkipSource.Configured c) {
            return new SelfDraftTuning(source, Optional.of(new LayerPlan(layers, c.attention(), c.mlp())), null);
        }
        return new SelfDraftTuning(source, Optional.empty(), new SkipSearch((SkipSource.Searched) source, layers));
    }

    public SkipSource source() {
        return source;
    }

    /** The drafter's skip plan; empty until a search has run. */
    public Optional<LayerPlan> plan() {
        return plan;
    }

    /** The current confidence threshold: drafting stops after a token whose top-1 probability is below it. */
    public double gamma() {
        return gamma;
    }

    /** The search, while one is still to run. */
    Optional<SkipSearch> pendingSearch() {
        return search == null || search.done() ? Optional.empty() : Optional.of(search);
    }

    void adopt(LayerPlan found) {
        plan = Optional.of(found);
    }

    /** §3.1's update after one verification of {@code drafted} candidates of which {@code accepted} were kept. */
    void update(int drafted, int accepted, boolean hitCap) {
        if (drafted == 0) {
            return;
        }
        acceptanceEma = BETA1 * acceptanceEma + (1 - BETA1) * accepted / drafted;
        double target = acceptanceEma < TARGET_ACCEPTANCE ? gamma + EPSILON : hitCap ? gamma : gamma - EPSILON;
        gamma = BETA2 * gamma + (1 - BETA2) * target;
    }
}
