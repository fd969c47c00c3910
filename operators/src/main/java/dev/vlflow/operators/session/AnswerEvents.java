package dev.vlflow.operators.session;

import dev.vlflow.connectors.events.Answer;
import dev.vlflow.connectors.events.AnswerEvent;
import dev.vlflow.connectors.events.AnswerStatistics;
import dev.vlflow.connectors.events.AnswerToken;
import dev.vlflow.connectors.events.Question;
import dev.vlflow.connectors.events.StopReason;

/** Builds the Avro events a session emits from the engine's results. */
final class AnswerEvents {

    private AnswerEvents() {
    }

    static AnswerEvent token(Question q, int index, int tokenId, String text) {
        return new AnswerEvent(new AnswerToken(q.getStreamId(), q.getQuestionId(), index, tokenId, text));
    }

    /**
     * @param a    the engine's answer
     * @param meta the session the question was answered on
     */
    static AnswerEvent answer(Question q, dev.vlflow.engine.Answer a, SessionMetadata meta) {
        AnswerStatistics stats = AnswerStatistics.newBuilder()
                .setTokens(a.tokenIds().size())
                .setTimeToFirstTokenMillis(a.timeToFirstTokenNanos() / 1e6)
                .setTotalMillis(a.totalNanos() / 1e6)
                .setPrefillTokens(a.promptTokens())
                .setContextTokens(meta.cachedTokens())
                .setPositions(meta.nextPosition())
                .setKvBytes(a.kvBytes())
                .setKeptRatio(meta.keptRatio())
                .setEvictedTokens(meta.evictedTokens())
                .setDraftedTokens(a.speculation().drafted())
                .setAcceptedTokens(a.speculation().accepted())
                .setVerifySteps(a.speculation().steps())
                .setMeanAcceptedLength(a.speculation().meanAcceptedLength())
                .setDecoding(a.decoding().describe())
                .setLossy(a.decoding().lossy())
                .build();
        StopReason stop = switch (a.stop()) {
            case STOP_TOKEN -> StopReason.STOP_TOKEN;
            case MAX_TOKENS -> StopReason.MAX_TOKENS;
            case DEADLINE -> StopReason.DEADLINE;
        };
        return new AnswerEvent(Answer.newBuilder()
                .setStreamId(q.getStreamId())
                .setQuestionId(q.getQuestionId())
                .setText(a.text())
                .setTokenIds(a.tokenIds())
                .setStopReason(stop)
                .setSegments(meta.segments())
                .setFrames(meta.frames())
                .setStatistics(stats)
                .build());
    }
}
