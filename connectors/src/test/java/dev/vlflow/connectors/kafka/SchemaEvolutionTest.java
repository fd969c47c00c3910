package dev.vlflow.connectors.kafka;

import static org.apache.avro.SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
import static org.apache.avro.SchemaCompatibility.SchemaCompatibilityType.INCOMPATIBLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.connectors.events.Answer;
import dev.vlflow.connectors.events.AnswerEvent;
import dev.vlflow.connectors.events.MalformedEventException;
import dev.vlflow.connectors.events.PipelineError;
import dev.vlflow.connectors.events.StopReason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaIncompatibilityType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

/**
 * Reader/writer compatibility across the committed versions of the event schemas ({@code schema-history/TYPE/vN.avsc},
 * copied from git history), checked with Avro's {@link SchemaCompatibility} and by decoding real single-object
 * records of one version with a reader of another.
 * <pre>
 * Answer         v1 (first)  v2 (+4 statistics with defaults)  v3 (+DEADLINE, enum default MAX_TOKENS) = current
 * PipelineError  v1 (first)  v2 (+OVERLOADED, enum default INTERNAL)  v3 (+FORBIDDEN, OVER_LIMIT)       = current
 * others         v1 = current
 * </pre>
 */
class SchemaEvolutionTest {

    private static final List<String> STANDALONE = List.of("Answer", "AnswerToken", "PipelineError", "Question",
            "VideoSegment");

    @Test
    void theSourceSchemasAreTheNewestCommittedVersions() throws IOException {
        for (String type : STANDALONE) {
            Schema source = new Schema.Parser().parse(Path.of("src/main/avro", type + ".avsc").toFile());
            List<Schema> history = history(type);
            assertEquals(history.get(history.size() - 1), source, type + ".avsc changed: check it against the rules "
                    + "(README, Kafka: schema evolution) and commit it as schema-history/" + type + "/v"
                    + (history.size() + 1) + ".avsc");
        }
        for (String wrapper : List.of("AnswerEvent", "InputRecord")) {
            assertEquals(Files.readString(Path.of("src/main/avro", wrapper + ".avsc")),
                    resource("schema-history/" + wrapper + "/v1.avsc"), wrapper + ".avsc changed");
        }
    }

    @Test
    void theCurrentReaderReadsEveryOlderVersion() throws IOException {
        for (String type : STANDALONE) {
            List<Schema> history = history(type);
            Schema current = history.get(history.size() - 1);
            for (Schema older : history) {
                assertEquals(COMPATIBLE, SchemaCompatibility.checkReaderWriterCompatibility(current, older).getType(),
                        () -> type + ": the current reader cannot read " + older);
            }
        }
    }

    @Test
    void everyEnumHasADefaultAndEveryFieldAddedSinceV1Too() throws IOException {
        for (String type : STANDALONE) {
            List<Schema> history = history(type);
            Schema current = history.get(history.size() - 1);
            List<String> enumsWithoutDefault = new ArrayList<>();
            enums(current, enumsWithoutDefault);
            assertEquals(List.of(), enumsWithoutDefault, type + ": an enum without a default makes every appended "
                    + "symbol unreadable for older readers");
            Set<String> first = fieldPaths(history.get(0));
            for (Schema.Field f : fields(current)) {
                if (!first.contains(f.name())) {
                    assertTrue(f.hasDefaultValue(), type + "." + f.name() + " was added without a default");
                }
            }
        }
    }

    /** Readers of an older version read newer records, except where that version had no enum default. */
    @Test
    void olderReadersReadNewerRecordsExceptSymbolsTheirEnumCannotMap() throws IOException {
        List<Schema> answers = history("Answer");
        assertEquals(COMPATIBLE, compatibility(answers.get(0), answers.get(1)).getCompatibility(),
                "v1 readers skip the statistics v2 added");
        SchemaCompatibility.SchemaCompatibilityResult v2ReadsV3 = compatibility(answers.get(1), answers.get(2));
        assertEquals(INCOMPATIBLE, v2ReadsV3.getCompatibility());
        assertEquals(List.of(SchemaIncompatibilityType.MISSING_ENUM_SYMBOLS),
                v2ReadsV3.getIncompatibilities().stream().map(Incompatibility::getType).toList());
        assertTrue(v2ReadsV3.getIncompatibilities().get(0).getMessage().contains("DEADLINE"));
        List<Schema> errors = history("PipelineError");
        SchemaCompatibility.SchemaCompatibilityResult v1ReadsV2 = compatibility(errors.get(0), errors.get(1));
        assertEquals(INCOMPATIBLE, v1ReadsV2.getCompatibility());
        assertTrue(v1ReadsV2.getIncompatibilities().get(0).getMessage().contains("OVERLOADED"));

        // On the wire: a v2 reader of the answers topic reads today's records, but not one stopped by DEADLINE.
        Schema v2Event = answerEvent(answers.get(1));
        BinaryMessageDecoder<GenericRecord> v2Reader = new BinaryMessageDecoder<>(GenericData.get(), v2Event);
        v2Reader.addSchema(AnswerEvent.getClassSchema());
        EventCodec<AnswerEvent> today = EventCodec.of(AnswerEvent.class);
        GenericRecord read = (GenericRecord) v2Reader.decode(today.encode(answerEvent(StopReason.STOP_TOKEN)))
                .get("event");
        assertEquals("STOP_TOKEN", read.get("stopReason").toString());
        assertEquals("plain", ((GenericRecord) read.get("statistics")).get("decoding").toString());
        assertThrows(AvroTypeException.class, () -> v2Reader.decode(today.encode(answerEvent(StopReason.DEADLINE))));
    }

    /** Version N (today) reads N-1 records on the wire: fields added since take their defaults. */
    @Test
    void todaysCodecReadsRecordsOfThePreviousVersions() throws Exception {
        List<Schema> answers = history("Answer");
        for (int v = 1; v <= 2; v++) {
            Schema older = answers.get(v - 1);
            Schema olderEvent = answerEvent(older);
            byte[] bytes = encode(olderEvent, genericAnswerEvent(olderEvent, "MAX_TOKENS"));
            assertThrows(MalformedEventException.class, () -> EventCodec.of(AnswerEvent.class).decode(bytes),
                    "a codec not given the older schema refuses the record");
            Answer answer = (Answer) EventCodec.of(AnswerEvent.class).readingAlso(olderEvent).decode(bytes).getEvent();
            assertEquals(StopReason.MAX_TOKENS, answer.getStopReason());
            assertEquals(List.of(1, 2), answer.getTokenIds());
            assertEquals(3, answer.getStatistics().getAcceptedTokens());
            // v1 had no verifySteps and decoding: they take the defaults v2 gave them
            assertEquals(v == 1 ? "plain" : "prompt-lookup(k=8)", answer.getStatistics().getDecoding());
            assertEquals(v == 1 ? 0 : 3, answer.getStatistics().getVerifySteps());
        }
        Schema v1Error = history("PipelineError").get(0);
        GenericRecord error = new GenericData.Record(v1Error);
        error.put("kind", new GenericData.EnumSymbol(v1Error.getField("kind").schema(), "UNANSWERED"));
        error.put("stage", "/job/session");
        error.put("streamId", "s");
        error.put("reason", "never answered");
        error.put("input", "q1");
        error.put("timestampMillis", 7L);
        PipelineError decoded = EventCodec.of(PipelineError.class).readingAlso(v1Error).decode(encode(v1Error, error));
        assertEquals("never answered", decoded.getReason());
        assertEquals(dev.vlflow.connectors.events.ErrorKind.UNANSWERED, decoded.getKind());
    }

    /**
     * Version N (today) reads N+1 records once it is given their schema: an appended symbol becomes the enum's
     * default, an added field is skipped; and N+1 readers read today's records (the field takes its default).
     */
    @Test
    void anAllowedNextVersionIsReadableBothWays() throws Exception {
        Schema current = history("Answer").get(2);
        Schema next = new Schema.Parser().parse(resource("schema-examples/Answer-v4-allowed.avsc"));
        assertEquals(COMPATIBLE, compatibility(current, next).getCompatibility());
        assertEquals(COMPATIBLE, compatibility(next, current).getCompatibility());

        Schema nextEvent = answerEvent(next);
        byte[] bytes = encode(nextEvent, genericAnswerEvent(nextEvent, "CANCELLED"));
        MalformedEventException unknown = assertThrows(MalformedEventException.class,
                () -> EventCodec.of(AnswerEvent.class).decode(bytes));
        assertTrue(unknown.getMessage().contains("does not know"), unknown.getMessage());
        Answer answer = (Answer) EventCodec.of(AnswerEvent.class).readingAlso(nextEvent).decode(bytes).getEvent();
        assertEquals(StopReason.MAX_TOKENS, answer.getStopReason(), "CANCELLED maps to StopReason's default");

        BinaryMessageDecoder<GenericRecord> nextReader = new BinaryMessageDecoder<>(GenericData.get(), nextEvent);
        nextReader.addSchema(AnswerEvent.getClassSchema());
        GenericRecord read = (GenericRecord) nextReader.decode(EventCodec.of(AnswerEvent.class)
                .encode(answerEvent(StopReason.DEADLINE))).get("event");
        assertEquals(0.0, ((GenericRecord) read.get("statistics")).get("prefillMillis"));
        assertEquals("DEADLINE", read.get("stopReason").toString());
    }

    @Test
    void forbiddenChangesAreCaught() throws IOException {
        Schema current = history("Answer").get(2);
        assertEquals(List.of(SchemaIncompatibilityType.READER_FIELD_MISSING_DEFAULT_VALUE),
                incompatibilities(example("Answer-v4-field-without-default.avsc"), current));
        assertEquals(List.of(SchemaIncompatibilityType.READER_FIELD_MISSING_DEFAULT_VALUE),
                incompatibilities(example("Answer-v4-field-renamed.avsc"), current));
        assertEquals(List.of(SchemaIncompatibilityType.TYPE_MISMATCH),
                incompatibilities(example("Answer-v4-type-changed.avsc"), current));
        assertEquals(List.of(SchemaIncompatibilityType.TYPE_MISMATCH),
                incompatibilities(current, example("Answer-v4-type-changed.avsc")));
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    private static List<Schema> history(String type) throws IOException {
        List<Schema> out = new ArrayList<>();
        for (int v = 1; ; v++) {
            String path = "schema-history/" + type + "/v" + v + ".avsc";
            if (SchemaEvolutionTest.class.getResource("/" + path) == null) {
                return out;
            }
            out.add(new Schema.Parser().parse(resource(path)));
        }
    }

    private static Schema example(String name) throws IOException {
        return new Schema.Parser().parse(resource("schema-examples/" + name));
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = SchemaEvolutionTest.class.getResourceAsStream("/" + path)) {
            if (in == null) {
                throw new IOException("no test resource " + path);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** AnswerEvent over a given version of Answer: what a job of that version wrote to the answers topic. */
    private static Schema answerEvent(Schema answer) throws IOException {
        Schema.Parser parser = new Schema.Parser();
        parser.parse(resource("schema-history/AnswerToken/v1.avsc"));
        parser.parse(answer.toString());
        return parser.parse(resource("schema-history/AnswerEvent/v1.avsc"));
    }

    private static SchemaCompatibility.SchemaCompatibilityResult compatibility(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult();
    }

    private static List<SchemaIncompatibilityType> incompatibilities(Schema reader, Schema writer) {
        return compatibility(reader, writer).getIncompatibilities().stream().map(Incompatibility::getType).toList();
    }

    private static byte[] encode(Schema schema, GenericRecord record) throws IOException {
        ByteBuffer b = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(record);
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return bytes;
    }

    /** An AnswerEvent of any Answer version, every statistic filled by type. */
    private static GenericRecord genericAnswerEvent(Schema eventSchema, String stopReason) {
        Schema answerSchema = eventSchema.getField("event").schema().getTypes().get(1);
        GenericRecord a = new GenericData.Record(answerSchema);
        a.put("streamId", "s");
        a.put("questionId", "q");
        a.put("text", "a red square");
        a.put("tokenIds", List.of(1, 2));
        a.put("stopReason", new GenericData.EnumSymbol(answerSchema.getField("stopReason").schema(), stopReason));
        a.put("segments", 1L);
        a.put("frames", 2);
        Schema statsSchema = answerSchema.getField("statistics").schema();
        GenericRecord stats = new GenericData.Record(statsSchema);
        for (Schema.Field f : statsSchema.getFields()) {
            stats.put(f.name(), switch (f.schema().getType()) {
                case INT -> 3;
                case LONG -> 4L;
                case DOUBLE -> 0.5;
                case BOOLEAN -> false;
                case STRING -> "prompt-lookup(k=8)";
                default -> throw new IllegalArgumentException(f.toString());
            });
        }
        a.put("statistics", stats);
        GenericRecord event = new GenericData.Record(eventSchema);
        event.put("event", a);
        return event;
    }

    private static AnswerEvent answerEvent(StopReason stop) {
        return new AnswerEvent(Answer.newBuilder().setStreamId("s").setQuestionId("q").setText("t")
                .setTokenIds(List.of(5)).setStopReason(stop).setSegments(1).setFrames(2)
                .setStatistics(dev.vlflow.connectors.events.AnswerStatistics.newBuilder().setTokens(1)
                        .setTimeToFirstTokenMillis(1).setTotalMillis(2).setPrefillTokens(3).setContextTokens(4)
                        .setPositions(4).setKvBytes(64).setKeptRatio(1).setEvictedTokens(0).build())
                .build());
    }

    private static void enums(Schema s, List<String> withoutDefault) {
        switch (s.getType()) {
            case ENUM -> {
                if (s.getEnumDefault() == null) {
                    withoutDefault.add(s.getFullName());
                }
            }
            case RECORD -> s.getFields().forEach(f -> enums(f.schema(), withoutDefault));
            case UNION -> s.getTypes().forEach(t -> enums(t, withoutDefault));
            case ARRAY -> enums(s.getElementType(), withoutDefault);
            case MAP -> enums(s.getValueType(), withoutDefault);
            default -> { }
        }
    }

    /** Every field of a record and of the records it holds (nested names prefixed with their record's name). */
    private static List<Schema.Field> fields(Schema s) {
        List<Schema.Field> out = new ArrayList<>();
        for (Schema.Field f : s.getFields()) {
            out.add(f);
            if (f.schema().getType() == Schema.Type.RECORD) {
                out.addAll(fields(f.schema()));
            }
        }
        return out;
    }

    private static Set<String> fieldPaths(Schema s) {
        Set<String> out = new TreeSet<>();
        fields(s).forEach(f -> out.add(f.name()));
        return out;
    }
}
