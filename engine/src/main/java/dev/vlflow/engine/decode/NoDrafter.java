package dev.vlflow.engine.decode;

/** Plain decoding: proposes nothing, so every step is one forward pass of one token. */
public record NoDrafter() implements Drafter {
    @Override
    public Draft propose(Context context) {
        return Draft.none();
    }
}
