package dev.vlflow.engine.decode;

/**
 * Speculation statistics of one answer.
 *
 * @param drafted  candidates proposed over all steps
 * @param accepted candidates accepted
 * @param steps    verification steps (forward passes of the full model after the prefill)
 */
public record DecodeStats(int drafted, int accepted, int steps) {

    public DecodeStats {
        if (drafted < 0 || accepted < 0 || steps < 0 || accepted > drafted) {
            throw new IllegalArgumentException("drafted " + drafted + ", accepted " + accepted + ", steps " + steps);
        }
    }

    public static DecodeStats none() {
        return new DecodeStats(0, 0, 0);
    }

    public DecodeStats plus(Acceptance a) {
        return new DecodeStats(drafted + a.proposed(), accepted + a.acceptedCount(), steps + 1);
    }

    /** Accepted fraction of the drafted candidates (0 when nothing was drafted). */
    public double acceptance() {
        return drafted == 0 ? 0 : (double) accepted / drafted;
    }

    /** Tokens emitted per verification step: accepted candidates + the target's own token (1 for plain decoding). */
    public double meanAcceptedLength() {
        return steps == 0 ? 0 : (double) (accepted + steps) / steps;
    }
}
