package dev.vlflow.pipeline.attention;

/**
 * How concentrated one decoder layer's probe attention is on the video.
 *
 * @param layer        decoder layer
 * @param visualTokens video slots: frames x tokensPerFrame + the closing newline row
 * @param visualShare  share of the probes' total attention mass that lands on video slots, in [0, 1]
 * @param tokensForTau smallest number of video slots whose mass reaches tau of the video slots' mass
 * @param fraction     {@code tokensForTau / visualTokens}: what ZipVL-style sparsification would keep
 */
public record LayerConcentration(int layer, int visualTokens, double visualShare, int tokensForTau,
                                 double fraction) {
    public LayerConcentration {
        if (visualTokens <= 0 || tokensForTau < 0 || tokensForTau > visualTokens) {
            throw new IllegalArgumentException(tokensForTau + " of " + visualTokens + " visual tokens");
        }
    }
}
