package dev.vlflow.connectors.videomme;

/** How unparseable replies count. */
public enum ScoreRule {
    /** {@code eval_your_results.py}: a reply with no extracted letter is left out of the denominator. */
    OFFICIAL,
    /** lmms-eval's {@code videomme_aggregate_results}: every question counts; no letter is wrong. */
    LMMS_EVAL;

    /** Whether a question with this extraction enters the denominator. */
    public boolean counts(boolean extracted) {
        return this == LMMS_EVAL || extracted;
    }
}
