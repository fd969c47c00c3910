package dev.vlflow.connectors.sink;

import dev.vlflow.connectors.events.Answer;
import dev.vlflow.connectors.events.AnswerEvent;
import dev.vlflow.connectors.events.AnswerStatistics;
import dev.vlflow.connectors.events.AnswerToken;
import java.util.Locale;

/**
 * Answers as they stream: a {@code [stream] question:} header, the tokens' text inline, then one line of statistics
 * when the answer is complete.
 */
public final class AnswerConsoleFormat implements ConsoleFormat<AnswerEvent> {

    private static final long serialVersionUID = 1L;

    @Override
    public Renderer<AnswerEvent> renderer() {
        return new Renderer<>() {
            private String open; // stream/question whose tokens are being printed

            @Override
            public String render(AnswerEvent event) {
                StringBuilder sb = new StringBuilder();
                if (event.getEvent() instanceof AnswerToken t) {
                    header(sb, t.getStreamId(), t.getQuestionId(), t.getIndex() == 0);
                    sb.append(t.getText());
                } else {
                    Answer a = (Answer) event.getEvent();
                    header(sb, a.getStreamId(), a.getQuestionId(), false);
                    sb.append('\n').append(statistics(a)).append('\n');
                    open = null;
                }
                return sb.toString();
            }

            private void header(StringBuilder sb, String stream, String question, boolean first) {
                String key = stream + "/" + question;
                if (!key.equals(open) || first) {
                    if (open != null) {
                        sb.append('\n');
                    }
                    sb.append('[').append(stream).append("] ").append(question).append(": ");
                    open = key;
                }
            }
        };
    }

    /** One line of an answer's figures. */
    public static String statistics(Answer a) {
        AnswerStatistics s = a.getStatistics();
        double decodeMs = s.getTotalMillis() - s.getTimeToFirstTokenMillis();
        // the rate after the first token; a one-token answer has none
        String rate = s.getTokens() > 1 && decodeMs > 0
                ? String.format(Locale.ROOT, "%.1f tok/s", (s.getTokens() - 1) * 1000.0 / decodeMs) : "no decode steps";
        return String.format(Locale.ROOT, "    (%d tokens, %s; first token %.0f ms, %s; prefill %d tokens on "
                        + "%d cached of %d seen (kept %.0f%%, evicted %d); KV %.2f MiB; %d segments, %d frames)",
                s.getTokens(), switch (a.getStopReason()) {
                    case STOP_TOKEN -> "stop token";
                    case MAX_TOKENS -> "token limit";
                    case DEADLINE -> "cut at the latency limit";
                }, s.getTimeToFirstTokenMillis(), rate, s.getPrefillTokens(),
                s.getContextTokens(), s.getPositions(), 100 * s.getKeptRatio(), s.getEvictedTokens(),
                s.getKvBytes() / (1024.0 * 1024.0), a.getSegments(), a.getFrames()) + speculation(s);
    }

    /** {@code ; prompt-lookup(k=8): 12/20 drafts accepted, 2.10 tokens a step}, or nothing for plain decoding. */
    static String speculation(AnswerStatistics s) {
        String decoding = s.getDecoding().toString();
        if (decoding.equals("plain")) {
            return "";
        }
        return String.format(Locale.ROOT, " [%s%s: %d/%d drafts accepted, %.2f tokens a step]", decoding,
                s.getLossy() && !decoding.contains("lossy") ? ", lossy" : "", s.getAcceptedTokens(),
                s.getDraftedTokens(), s.getMeanAcceptedLength());
    }
}
