package dev.vlflow.pipeline.attention;

import java.util.List;

/**
 * Per-layer concentration of the probes' attention on the video, for one prompt.
 *
 * @param promptTokens tokens of the whole prompt (header, video slots, question, assistant opening)
 * @param videoStart   position of the first video slot
 * @param visualTokens video slots: frames x tokensPerFrame + 1 newline row
 * @param frames       frames sampled
 * @param probes       probe queries: the last {@code probes} prompt positions
 * @param tau          share of the video mass the kept tokens must hold
 * @param layers       one entry per decoder layer, in order
 */
public record AttentionReport(int promptTokens, int videoStart, int visualTokens, int frames, int probes, double tau,
                              List<LayerConcentration> layers) {
    public AttentionReport {
        layers = List.copyOf(layers);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("no layers");
        }
    }

    /** Mean over layers of the fraction of video tokens needed for {@code tau}. */
    public double meanFraction() {
        return layers.stream().mapToDouble(LayerConcentration::fraction).average().orElseThrow();
    }

    /** Mean over layers of the share of probe mass on video tokens. */
    public double meanVisualShare() {
        return layers.stream().mapToDouble(LayerConcentration::visualShare).average().orElseThrow();
    }
}
