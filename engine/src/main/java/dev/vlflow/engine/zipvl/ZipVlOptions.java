package dev.vlflow.engine.zipvl;

import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * ZipVL's settings (ALGORITHMS.md §1.7), validated once where they are parsed. The bits of important and
 * unimportant tokens are the KV cache's precision policy ({@code mixed:4/2}), not repeated here.
 *
 * @param tau            share of the probes' attention mass the important tokens must hold (Eq. 6), in (0, 1]
 * @param probesRecent   most recent rows of a prefill chunk used as probe queries (64)
 * @param probesRandom   further probe rows drawn at random from the rest of the chunk (64)
 * @param denseLayers    layers that attend densely and keep every token important ({0})
 * @param forcedRatio    when present, every sparse layer keeps the top {@code ratio·n} tokens by score instead of
 *                       the adaptive count (for benchmarks)
 * @param attention      whether prefill attention runs among the important tokens only, or densely (importance
 *                       then only chooses bits)
 * @param decodeInterval generated tokens held in full precision before they are re-scored and quantized (100)
 * @param demotion       what a question does to the cached video tokens it finds unimportant (streams, §1.9)
 * @param seed           seed of the random probe rows
 * @param dropping       progressive token dropping (§1.10, lossy; off by default)
 */
public record ZipVlOptions(double tau, int probesRecent, int probesRandom, Set<Integer> denseLayers,
                           OptionalDouble forcedRatio, Attention attention, int decodeInterval, Demotion demotion,
                           long seed, Dropping dropping) {

    public static final double DEFAULT_TAU = 0.975;

    /** How prefill attention runs. */
    public enum Attention {
        /** Among the important tokens only; unimportant rows get no attention output (they keep their residual). */
        SPARSE,
        /** Dense; importance only chooses each token's bits. */
        DENSE
    }

    /**
     * What a question does to cached tokens it finds unimportant. The default keeps them: questions are answered on
     * forks that share the context's pages, and a demoted token is requantized into a new 2-bit page while its
     * 4-bit slot stays (dead) in a page shared with the session, so demotion adds bytes rather than saving them.
     */
    public enum Demotion {
        /** Demote them to the low precision. */
        DEMOTE,
        /** Keep their precision (several questions per stream; the default). */
        KEEP
    }

    /**
     * Progressive token dropping (ALGORITHMS.md §1.10, lossy): from layer {@code fromLayer} on, a video token that was
     * unimportant in {@code consecutive} consecutive layers leaves the residual stream (no Q/K/V, attention row or MLP
     * in later layers; its K/V exist for the layers it passed); no layer drops more than {@code maxDrop} of the video
     * tokens it ran. Text and the last prompt token are never dropped. {@code consecutive = 0}: off.
     */
    public record Dropping(int consecutive, int fromLayer, double maxDrop) implements java.io.Serializable {
        public static final Dropping OFF = new Dropping(0, 2, 0.9);

        public Dropping {
            if (consecutive < 0 || fromLayer < 1 || !(maxDrop > 0 && maxDrop <= 1)) {
                throw new IllegalArgumentException("token dropping: consecutive layers >= 0 (0 = off), from layer >= 1, "
                        + "max drop in (0, 1]; got " + consecutive + ", " + fromLayer + ", " + maxDrop);
            }
        }

        /** The §1.10 defaults (from layer 2, at most 90% of a layer's video tokens) after {@code k} layers. */
        public static Dropping after(int k) {
            return new Dropping(k, OFF.fromLayer(), OFF.maxDrop());
        }

        public boolean on() {
            return consecutive > 0;
        }
    }

    public ZipVlOptions {
        Objects.requireNonNull(dropping, "dropping");
        Objects.requireNonNull(denseLayers, "denseLayers");
        Objects.requireNonNull(forcedRatio, "forcedRatio");
        Objects.requireNonNull(attention, "attention");
        Objects.requireNonNull(demotion, "demotion");
        denseLayers = Set.copyOf(denseLayers);
        if (!(tau > 0 && tau <= 1)) {
            throw new IllegalArgumentException("tau must be in (0, 1], got " + tau);
        }
        if (probesRecent < 1 || probesRandom < 0) {
            throw new IllegalArgumentException("need at least one recent probe and no negative random probes, got "
                    + probesRecent + " and " + probesRandom);
        }
        for (int layer : denseLayers) {
            if (layer < 0) {
                throw new IllegalArgumentException("dense layer " + layer + " is negative");
            }
        }
        if (forcedRatio.isPresent() && !(forcedRatio.getAsDouble() > 0 && forcedRatio.getAsDouble() <= 1)) {
            throw new IllegalArgumentException("forced kept ratio must be in (0, 1], got " + forcedRatio.getAsDouble());
        }
        if (decodeInterval < 1) {
            throw new IllegalArgumentException("decode interval must be positive, got " + decodeInterval);
        }
    }

    /**
     * The paper's defaults: tau 0.975, 64 + 64 probes, layer 0 dense, sparse attention, re-compression every 100;
     * questions keep the cached tokens' precision.
     */
    public static ZipVlOptions defaults() {
        return new ZipVlOptions(DEFAULT_TAU, 64, 64, Set.of(0), OptionalDouble.empty(), Attention.SPARSE, 100,
                Demotion.KEEP, 0, Dropping.OFF);
    }

    /** Importance only chooses bits (dense attention), at share {@code tau}: a mixed cache without ZipVL. */
    public static ZipVlOptions bitsOnly(double tau) {
        return defaults().withTau(tau).withAttention(Attention.DENSE);
    }

    public ZipVlOptions withTau(double t) {
        return new ZipVlOptions(t, probesRecent, probesRandom, denseLayers, forcedRatio, attention, decodeInterval,
                demotion, seed, dropping);
    }

    public ZipVlOptions withForcedRatio(double ratio) {
        return new ZipVlOptions(tau, probesRecent, probesRandom, denseLayers, OptionalDouble.of(ratio), attention,
                decodeInterval, demotion, seed, dropping);
    }

    public ZipVlOptions withAttention(Attention a) {
        return new ZipVlOptions(tau, probesRecent, probesRandom, denseLayers, forcedRatio, a, decodeInterval,
                demotion, seed, dropping);
    }

    public ZipVlOptions withDenseLayers(Set<Integer> layers) {
        return new ZipVlOptions(tau, probesRecent, probesRandom, layers, forcedRatio, attention, decodeInterval,
                demotion, seed, dropping);
    }

    public ZipVlOptions withProbes(int recent, int random) {
        return new ZipVlOptions(tau, recent, random, denseLayers, forcedRatio, attention, decodeInterval, demotion,
                seed, dropping);
    }

    public ZipVlOptions withDecodeInterval(int interval) {
        return new ZipVlOptions(tau, probesRecent, probesRandom, denseLayers, forcedRatio, attention, interval,
                demotion, seed, dropping);
    }

    public ZipVlOptions withDemotion(Demotion d) {
        return new ZipVlOptions(tau, probesRecent, probesRandom, denseLayers, forcedRatio, attention, decodeInterval,
                d, seed, dropping);
    }

    public ZipVlOptions withDropping(Dropping d) {
        return new ZipVlOptions(tau, probesRecent, probesRandom, denseLayers, forcedRatio, attention, decodeInterval,
                demotion, seed, d);
    }

    public boolean dense(int layer) {
        return denseLayers.contains(layer);
    }

    /** Short description for reports: {@code tau=0.975 probes=64+64 dense=[0]} or {@code ratio=0.3 ...}. */
    public String label() {
        String rule = forcedRatio.isPresent() ? "ratio=" + forcedRatio.getAsDouble() : "tau=" + tau;
        return rule + " probes=" + probesRecent + "+" + probesRandom + " dense=" + denseLayers.stream().sorted()
                .toList() + (attention == Attention.DENSE ? " bits-only" : "")
                + (dropping.on() ? " drop=" + dropping.consecutive() + "@" + dropping.fromLayer() : "");
    }
}
