package dev.vlflow.connectors.events;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/** Flink type information of the events: Avro serializers (schema-versioned), never Kryo. */
public final class EventTypes {

    public static final TypeInformation<VideoSegment> SEGMENT = new AvroTypeInfo<>(VideoSegment.class);
    public static final TypeInformation<Question> QUESTION = new AvroTypeInfo<>(Question.class);
    public static final TypeInformation<AnswerEvent> ANSWER_EVENT = new AvroTypeInfo<>(AnswerEvent.class);
    public static final TypeInformation<PipelineError> ERROR = new AvroTypeInfo<>(PipelineError.class);

    private EventTypes() {
    }
}
