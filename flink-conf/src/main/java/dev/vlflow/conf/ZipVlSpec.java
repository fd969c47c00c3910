package dev.vlflow.conf;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Whether the model runs ZipVL (sparse prefill, importance-driven KV bits and decode re-compression; see
 * {@code ALGORITHMS.md} §1) and with which settings. The engine validates the settings again when it turns them
 * into its options; the bits of important and unimportant tokens are the KV cache's precision.
 */
public sealed interface ZipVlSpec extends Serializable permits ZipVlSpec.Off, ZipVlSpec.On {

    /** Dense prefill. */
    record Off() implements ZipVlSpec {
        private static final long serialVersionUID = 1L;
    }

    /**
     * @param tau            share of the probes' attention mass the important tokens hold (Eq. 6), in (0, 1]
     * @param probesRecent   most recent rows of a prefill chunk used as probes
     * @param probesRandom   random further probe rows
     * @param denseLayers    layers that stay dense
     * @param decodeInterval generated tokens kept in full precision before re-compression
     * @param demote         whether a question demotes the cached tokens it finds unimportant to the low precision
     *                       (§1.9; off by default: answers run on forks sharing the context's pages, where a
     *                       demotion adds a 2-bit copy)
     * @param dropAfter      progressive token dropping (lossy, ALGORITHMS.md §1.10): a video token unimportant in this
     *                       many consecutive layers leaves the residual stream; 0 = off (the default)
     * @param questionProbes whether the question's rows rank the video tokens (the paper's setting): the caller
     *                       prefills header, frames and question as one block, so nothing is shared between questions
     *                       ({@code eval videomme --zipvl-probes question --no-prefix-sharing}, {@code ask}); a stream
     *                       prefills segments before their questions and cannot (it demotes instead, §1.9)
     */
    record On(double tau, int probesRecent, int probesRandom, List<Integer> denseLayers, int decodeInterval,
              boolean demote, int dropAfter, boolean questionProbes) implements ZipVlSpec {
        private static final long serialVersionUID = 1L;

        public On {
            denseLayers = List.copyOf(Objects.requireNonNull(denseLayers, "denseLayers"));
            if (!(tau > 0 && tau <= 1) || probesRecent < 1 || probesRandom < 0 || decodeInterval < 1
                    || dropAfter < 0) {
                throw new IllegalArgumentException("ZipVL needs tau in (0, 1], at least one recent probe, no "
                        + "negative random probes and a positive decode interval");
            }
        }
    }

    /** This setting with question demotion on or off (no change when off). */
    default ZipVlSpec withDemotion(boolean demote) {
        return this instanceof On o ? new On(o.tau(), o.probesRecent(), o.probesRandom(), o.denseLayers(),
                o.decodeInterval(), demote, o.dropAfter(), o.questionProbes()) : this;
    }

    /** This setting with other dense layers (no change when off). */
    default ZipVlSpec withDenseLayers(List<Integer> layers) {
        return this instanceof On o ? new On(o.tau(), o.probesRecent(), o.probesRandom(), layers,
                o.decodeInterval(), o.demote(), o.dropAfter(), o.questionProbes()) : this;
    }

    /** This setting with progressive token dropping after {@code k} unimportant layers (0: off; no change when off). */
    default ZipVlSpec withDropAfter(int k) {
        return this instanceof On o ? new On(o.tau(), o.probesRecent(), o.probesRandom(), o.denseLayers(),
                o.decodeInterval(), o.demote(), k, o.questionProbes()) : this;
    }

    /** This setting with the question's rows as probes, or each chunk's own (no change when off). */
    default ZipVlSpec withQuestionProbes(boolean question) {
        return this instanceof On o ? new On(o.tau(), o.probesRecent(), o.probesRandom(), o.denseLayers(),
                o.decodeInterval(), o.demote(), o.dropAfter(), question) : this;
    }

    /** Whether the question's rows rank the video tokens (whole-prompt prefill). */
    default boolean questionProbes() {
        return this instanceof On o && o.questionProbes();
    }

    static ZipVlSpec off() {
        return new Off();
    }

    /** ZipVL's defaults: tau 0.975, 64 + 64 probes, layer 0 dense, re-compression every 100 tokens. */
    static On defaults() {
        return new On(0.975, 64, 64, List.of(0), 100, false, 0, false);
    }

    /**
     * Reads {@code off}, {@code on} (the defaults) or {@code on:TAU} (e.g. {@code on:0.96}); the form a command line
     * or configuration gives.
     */
    static ZipVlSpec parse(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.equals("off") || s.equals("false") || s.equals("dense")) {
            return off();
        }
        if (s.equals("on") || s.equals("true")) {
            return defaults();
        }
        if (s.startsWith("on:")) {
            try {
                On d = defaults();
                return new On(Double.parseDouble(s.substring(3)), d.probesRecent(), d.probesRandom(), d.denseLayers(),
                        d.decodeInterval(), d.demote(), d.dropAfter(), d.questionProbes());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException("unknown ZipVL setting '" + text + "' (expected off, on or on:TAU)");
    }
}
