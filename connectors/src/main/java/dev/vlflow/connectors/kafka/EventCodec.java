package dev.vlflow.connectors.kafka;

import dev.vlflow.connectors.events.MalformedEventException;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * The value layout of every vlflow Kafka topic: Avro <em>single-object encoding</em> of one event record.
 * <pre>
 * byte  0      1      2 ........................... 9   10 ...........................
 *     ┌──────┬──────┬──────────────────────────────────┬───────────────────────────────┐
 *     │ 0xC3 │ 0x01 │ writer schema fingerprint:        │ the record in Avro binary,    │
 *     │      │      │ CRC-64-AVRO of its parsing        │ written with that schema      │
 *     │      │      │ canonical form, little-endian     │ (no length, no trailing data) │
 *     └──────┴──────┴──────────────────────────────────┴───────────────────────────────┘
 * </pre>
 * A reader finds the writer's schema by its fingerprint and resolves it against its own (Avro schema resolution): a
 * codec reads records of the current schema and of every older schema it was given ({@link #readingAlso}); a record
 * written with a schema it does not know is refused with the fingerprint in the reason, never guessed at. The
 * evolution rules that keep versions readable both ways are in the README ("Kafka: schema evolution") and checked by
 * {@code SchemaEvolutionTest}.
 *
 * <p>Serializable descriptor; the Avro encoder and decoder are made on first use (they are not serializable).
 *
 * @param <T> a generated event class ({@code InputRecord}, {@code AnswerEvent}, {@code PipelineError})
 */
public final class EventCodec<T extends SpecificRecord> implements Serializable {

    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private final List<String> olderSchemas;   // JSON of further writer schemas this codec reads
    private transient BinaryMessageEncoder<T> encoder;
    private transient BinaryMessageDecoder<T> decoder;

    private EventCodec(Class<T> type, List<String> olderSchemas) {
        this.type = Objects.requireNonNull(type, "type");
        this.olderSchemas = List.copyOf(olderSchemas);
    }

    /** Writes and reads {@code type}'s current schema. */
    public static <T extends SpecificRecord> EventCodec<T> of(Class<T> type) {
        return new EventCodec<>(type, List.of());
    }

    /** This codec, also reading records written with {@code writerSchema} (an older or newer version of the type). */
    public EventCodec<T> readingAlso(Schema writerSchema) {
        List<String> schemas = new ArrayList<>(olderSchemas);
        schemas.add(writerSchema.toString());
        return new EventCodec<>(type, schemas);
    }

    /** The schema records are written with. */
    public Schema schema() {
        return SpecificData.getForClass(type).getSchema(type);
    }

    /** The record in single-object encoding. */
    public byte[] encode(T record) {
        try {
            ByteBuffer buffer = encoder().encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + type.getSimpleName(), e);
        }
    }

    /**
     * Reads one single-object encoded record.
     *
     * @throws MalformedEventException with a reason a person can act on: a wrong header, an unknown writer schema,
     *                                 a truncated or corrupt body
     */
    public T decode(byte[] bytes) throws MalformedEventException {
        if (bytes == null || bytes.length == 0) {
            throw new MalformedEventException("empty record (no value)");
        }
        try {
            return decoder().decode(bytes);
        } catch (BadHeaderException e) {
            throw new MalformedEventException("not an Avro single-object encoded " + type.getSimpleName()
                    + " (a value starts with the bytes C3 01 and the writer schema's fingerprint)");
        } catch (MissingSchemaException e) {
            throw new MalformedEventException("written with a schema this job does not know ("
                    + e.getMessage() + "); it reads " + type.getSimpleName() + " with fingerprints "
                    + fingerprints());
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException
                 | ClassCastException e) {
            throw new MalformedEventException("truncated or corrupt Avro " + type.getSimpleName() + " ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
    }

    /** The 64-bit fingerprint single-object encoding writes for {@code schema}. */
    public static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    private List<String> fingerprints() {
        List<String> out = new ArrayList<>();
        out.add(String.format("%016x", fingerprint(schema())));
        for (String s : olderSchemas) {
            out.add(String.format("%016x", fingerprint(new Schema.Parser().parse(s))));
        }
        return out;
    }

    private BinaryMessageEncoder<T> encoder() {
        if (encoder == null) {
            encoder = new BinaryMessageEncoder<>(SpecificData.getForClass(type), schema());
        }
        return encoder;
    }

    private BinaryMessageDecoder<T> decoder() {
        if (decoder == null) {
            BinaryMessageDecoder<T> d = new BinaryMessageDecoder<>(SpecificData.getForClass(type), schema());
            for (String s : olderSchemas) {
                d.addSchema(new Schema.Parser().parse(s));
            }
            decoder = d;
        }
        return decoder;
    }
}
