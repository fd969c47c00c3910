package dev.vlflow.operators.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.conf.DecodingSpec;
import dev.vlflow.conf.KvSpec;
import dev.vlflow.conf.StateSpec;
import dev.vlflow.connectors.events.Answer;
import dev.vlflow.connectors.events.AnswerEvent;
import dev.vlflow.operators.frames.SegmentEmbeddings;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The job's decoding option in the session operator: with a drafter the answers are the plain job's token for token
 * and their events carry the speculation figures; Unified Layer Skipping's answers are marked lossy.
 */
@SuppressWarnings("try") // Flink's harnesses declare close() throws Exception
class SpeculativeSessionTest extends TinyModelTestBase {

    private static final int MAX_TOKENS = 12;

    private static DecodingSpec decoding(DecodingSpec.Drafter drafter, int ulsSpeedup) {
        return new DecodingSpec(MAX_TOKENS, new DecodingSpec.Greedy(), new DecodingSpec.Speculation(drafter, 6, 3, 1,
                List.of(1), List.of(2), ulsSpeedup));
    }

    /** Two segments, then the same question asked three times (the later answers can quote the first). */
    private static List<Answer> answers(DecodingSpec decoding) throws Exception {
        SegmentEmbeddings s0 = SessionFixtures.segment(model, "s", 0, 2, 1);
        SegmentEmbeddings s1 = SessionFixtures.segment(model, "s", 1, 1, 2);
        try (var h = SessionFixtures.harness(modelDir, KvSpec.unbounded(8), StateSpec.defaults(), decoding)) {
            h.setup();
            h.open();
            h.processElement1(s0, 0);
            h.processElement1(s1, 0);
            for (int i = 0; i < 3; i++) {
                h.processElement2(SessionFixtures.question("s", "q" + i, "What happens?", null, MAX_TOKENS), 0);
            }
            return h.extractOutputValues().stream().map(AnswerEvent::getEvent).filter(e -> e instanceof Answer)
                    .map(e -> (Answer) e).toList();
        }
    }

    @Test
    void draftersAnswerAsThePlainJobAndReportTheirFigures() throws Exception {
        List<Answer> plain = answers(decoding(DecodingSpec.Drafter.NONE, 1));
        assertEquals(3, plain.size());
        for (DecodingSpec.Drafter d : List.of(DecodingSpec.Drafter.PROMPT_LOOKUP, DecodingSpec.Drafter.LAYER_SKIP,
                DecodingSpec.Drafter.TREE)) {
            List<Answer> spec = answers(decoding(d, 1));
            int drafted = 0;
            for (int i = 0; i < plain.size(); i++) {
                assertEquals(plain.get(i).getTokenIds(), spec.get(i).getTokenIds(), d + ", answer " + i);
                var s = spec.get(i).getStatistics();
                assertTrue(s.getDecoding().toString().startsWith(d.toString()), s.getDecoding().toString());
                assertFalse(s.getLossy());
                assertTrue(s.getAcceptedTokens() <= s.getDraftedTokens());
                assertTrue(s.getVerifySteps() > 0);
                drafted += s.getDraftedTokens();
            }
            assertTrue(drafted > 0, d + " drafted");
        }
        assertEquals(0, plain.get(0).getStatistics().getDraftedTokens());
        assertEquals(1.0, plain.get(0).getStatistics().getMeanAcceptedLength());
    }

    @Test
    void unifiedLayerSkippingIsMarkedLossy() throws Exception {
        Answer a = answers(decoding(DecodingSpec.Drafter.NONE, 2)).get(0);
        assertTrue(a.getStatistics().getLossy());
        assertEquals("uls(s=2, lossy)", a.getStatistics().getDecoding().toString());
    }
}
