package dev.vlflow.operators.session;

import dev.vlflow.conf.DecodingSpec;
import dev.vlflow.conf.KvSpec;
import dev.vlflow.conf.ModelSpec;
import dev.vlflow.conf.ServingSpec;
import dev.vlflow.conf.StateSpec;
import dev.vlflow.connectors.events.AnswerEvent;
import dev.vlflow.connectors.events.Question;
import dev.vlflow.engine.FrameEmbeddings;
import dev.vlflow.engine.VlModel;
import dev.vlflow.engine.model.make.ModelMaker;
import dev.vlflow.engine.model.make.ModelPreset;
import dev.vlflow.operators.frames.SegmentEmbeddings;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.Types;

/** The tiny random model, segments encoded from seeded random pixels, and session harnesses. */
final class SessionFixtures {

    private SessionFixtures() {
    }

    static Path makeTinyModel(Path dir) {
        return ModelMaker.make(ModelMaker.Request.of(ModelPreset.TINY_RANDOM, dir)).directory();
    }

    /** Frames of seeded random pixels in [-1, 1], encoded by the model: [frames * tokensPerFrame, hidden]. */
    static SegmentEmbeddings segment(VlModel model, String stream, long sequence, int frames, long seed) {
        int size = model.config().vision().imageSize();
        Random random = new Random(seed);
        float[] pixels = new float[frames * 3 * size * size];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextFloat() * 2 - 1;
        }
        FrameEmbeddings e = model.encodeFrames(pixels, frames);
        return new SegmentEmbeddings(stream, sequence, e.frames(), e.tokensPerFrame(), e.hidden(), e.rows());
    }

    static FrameEmbeddings embeddings(SegmentEmbeddings s) {
        return new FrameEmbeddings(s.rows(), s.frames(), s.tokensPerFrame(), s.hidden());
    }

    static Question question(String stream, String id, String text, Long after, int maxTokens) {
        return Question.newBuilder().setStreamId(stream).setQuestionId(id).setText(text).setOptions(List.of())
                .setAfterSegment(after).setMaxNewTokens(maxTokens).setSampling(null).build();
    }

    static SessionHarness harness(Path model, KvSpec kv, StateSpec state) throws Exception {
        return harness(model, kv, state, DecodingSpec.greedy(12));
    }

    static SessionHarness harness(Path model, KvSpec kv, StateSpec state, DecodingSpec decoding) throws Exception {
        return harness(model, kv, state, decoding, ServingSpec.defaults(), true);
    }

    /** @param draining whether every input call runs the mailbox until all answers are finished */
    static SessionHarness harness(Path model, KvSpec kv, StateSpec state, DecodingSpec decoding, ServingSpec serving,
                                  boolean draining) throws Exception {
        return harness(model, kv, state, decoding, serving, dev.vlflow.conf.InputSpec.defaults(), draining);
    }

    /** With the job's input limits. */
    static SessionHarness harness(Path model, KvSpec kv, StateSpec state, DecodingSpec decoding, ServingSpec serving,
                                  dev.vlflow.conf.InputSpec input, boolean draining) throws Exception {
        return harness(ModelSpec.cpu(model.toString()), kv, state, decoding, serving, input, draining);
    }

    /** With a model spec of its own (e.g. a short prefill chunk). */
    static SessionHarness harness(ModelSpec model, KvSpec kv, StateSpec state, DecodingSpec decoding,
                                  ServingSpec serving, dev.vlflow.conf.InputSpec input, boolean draining)
            throws Exception {
        VideoSessionFunction fn = new VideoSessionFunction(model, kv, decoding, state, input, "/test/session");
        return new SessionHarness(new VideoSessionOperator(fn, serving, "/test/session"), draining);
    }

    /** The answers among a session's output events, in order. */
    static List<dev.vlflow.connectors.events.Answer> answers(List<AnswerEvent> events) {
        return events.stream().filter(e -> e.getEvent() instanceof dev.vlflow.connectors.events.Answer)
                .map(e -> (dev.vlflow.connectors.events.Answer) e.getEvent()).toList();
    }

    /** The streamed tokens of one question, in order. */
    static List<dev.vlflow.connectors.events.AnswerToken> tokens(List<AnswerEvent> events, String questionId) {
        return events.stream().filter(e -> e.getEvent() instanceof dev.vlflow.connectors.events.AnswerToken t
                        && t.getQuestionId().equals(questionId))
                .map(e -> (dev.vlflow.connectors.events.AnswerToken) e.getEvent()).toList();
    }

    /** The dead letters a harness's operator sent to its side output. */
    static List<dev.vlflow.connectors.events.PipelineError> deadLetters(
            org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness<?> h) {
        var out = h.getSideOutput(dev.vlflow.connectors.events.DeadLetters.TAG);
        return out == null ? List.of() : out.stream().map(r -> r.getValue()).toList();
    }
}
