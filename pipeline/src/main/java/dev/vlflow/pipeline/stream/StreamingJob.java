package dev.vlflow.pipeline.stream;

import dev.vlflow.conf.JobSpec;
import dev.vlflow.connectors.events.AnswerEvent;
import dev.vlflow.connectors.events.DeadLetters;
import dev.vlflow.connectors.events.EventJson;
import dev.vlflow.connectors.events.EventTypes;
import dev.vlflow.connectors.events.PipelineError;
import dev.vlflow.connectors.events.Question;
import dev.vlflow.connectors.events.VideoSegment;
import dev.vlflow.connectors.kafka.DecodeEvents;
import dev.vlflow.connectors.kafka.KafkaEvents;
import dev.vlflow.connectors.kafka.KafkaInput;
import dev.vlflow.connectors.sink.AnswerConsoleFormat;
import dev.vlflow.connectors.sink.ConsoleSink;
import dev.vlflow.connectors.sink.ErrorConsoleFormat;
import dev.vlflow.connectors.sink.JsonlFileSink;
import dev.vlflow.connectors.sink.LineEncoder;
import dev.vlflow.connectors.source.JsonlSource;
import dev.vlflow.connectors.source.ParseEvents;
import dev.vlflow.connectors.source.SourceLine;
import dev.vlflow.operators.frames.EncodeFrames;
import dev.vlflow.operators.frames.SampleFrames;
import dev.vlflow.operators.frames.SegmentEmbeddings;
import dev.vlflow.operators.frames.SegmentEmbeddingsSerializer;
import dev.vlflow.operators.frames.SegmentFrames;
import dev.vlflow.operators.frames.SegmentFramesSerializer;
import dev.vlflow.operators.session.VideoSessionFunction;
import dev.vlflow.operators.session.VideoSessionOperator;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The streaming question-answering job:
 * <pre>
 * source ─► parse ─► keyBy(stream) ─► sample frames ─► encode frames ─► keyBy(stream) ─┐
 *             └──── questions ──────────────────────────────────────► keyBy(stream) ──┴► video session ─► answers
 * dead letters of every stage ─► one dead-letter sink
 * </pre>
 * The source and the sinks are JSONL files ({@link StreamIo}) or Kafka topics ({@link KafkaIo}); the operators
 * between them are the same. Operator uids are the hierarchical names below, so savepoints survive changes to the
 * job's shape. The input limits ({@code vlflow.input.*}) hold at every stage: record size at the source, file roots,
 * hosts and video caps where frames are sampled, answer tokens, pending questions and stream positions in the session.
 */
public final class StreamingJob {

    public static final String SOURCE = "/job/source";
    public static final String PARSE = "/job/parse";
    public static final String SAMPLE = "/job/sample";
    public static final String ENCODE = "/job/encode";
    public static final String SESSION = "/job/session";
    /** Kafka's source and decoder have uids of their own: a savepoint of the file job holds no Kafka offsets. */
    public static final String KAFKA_SOURCE = "/job/source/kafka";
    public static final String KAFKA_PARSE = "/job/parse/kafka";

    private StreamingJob() {
    }

    /** Adds the job to {@code env}. */
    public static void build(StreamExecutionEnvironment env, JobSpec spec, JobIo io) {
        Inputs inputs = io instanceof KafkaIo kafka ? kafkaInputs(env, kafka) : fileInputs(env, (StreamIo) io, spec);

        SingleOutputStreamOperator<SegmentFrames> frames = inputs.segments()
                .keyBy(VideoSegment::getStreamId, Types.STRING)
                .process(new SampleFrames(spec.model(), spec.video(), spec.input(), SAMPLE), SegmentFramesSerializer.TYPE)
                .name(SAMPLE).uid(SAMPLE);

        SingleOutputStreamOperator<SegmentEmbeddings> embeddings = frames
                .process(new EncodeFrames(spec.model(), ENCODE), SegmentEmbeddingsSerializer.TYPE)
                .name(ENCODE).uid(ENCODE);

        SingleOutputStreamOperator<AnswerEvent> answers = embeddings
                .keyBy(SegmentEmbeddings::streamId, Types.STRING)
                .connect(inputs.questions().keyBy(Question::getStreamId, Types.STRING))
                .transform(SESSION, EventTypes.ANSWER_EVENT, new VideoSessionOperator(new VideoSessionFunction(
                        spec.model(), spec.kv(), spec.decoding(), spec.state(), spec.input(), SESSION), spec.serving(),
                        SESSION))
                .uid(SESSION);

        DataStream<PipelineError> deadLetters = inputs.deadLetters()
                .union(frames.getSideOutput(DeadLetters.TAG), embeddings.getSideOutput(DeadLetters.TAG),
                        answers.getSideOutput(DeadLetters.TAG));

        if (io instanceof KafkaIo kafka) {
            kafkaSinks(kafka, answers, deadLetters);
        } else {
            fileSinks((StreamIo) io, answers, deadLetters);
        }
        if (io.console()) {
            answers.sinkTo(new ConsoleSink<>(new AnswerConsoleFormat(), ConsoleSink.Target.STDOUT))
                    .name("/job/sink/console").uid("/job/sink/console").setParallelism(1);
            deadLetters.sinkTo(new ConsoleSink<>(new ErrorConsoleFormat(), ConsoleSink.Target.STDERR))
                    .name("/job/sink/console-errors").uid("/job/sink/console-errors").setParallelism(1);
        }
    }

    /** What the source and parser deliver: segments, questions, and the dead letters of parsing. */
    private record Inputs(DataStream<VideoSegment> segments, DataStream<Question> questions,
                          DataStream<PipelineError> deadLetters) {
    }

    private static Inputs fileInputs(StreamExecutionEnvironment env, StreamIo io, JobSpec spec) {
        JsonlSource source = JsonlSource.of(io.input()).withMaxLineBytes((int) spec.input().maxRecordBytes());
        if (io.follow().isPresent()) {
            source = source.monitorEvery(io.follow().get());
        }
        DataStream<SourceLine> lines = env.fromSource(source, WatermarkStrategy.noWatermarks(), SOURCE)
                .uid(SOURCE).setParallelism(1);
        SingleOutputStreamOperator<VideoSegment> segments = lines
                .process(new ParseEvents(PARSE), EventTypes.SEGMENT).name(PARSE).uid(PARSE).setParallelism(1);
        return new Inputs(segments, segments.getSideOutput(ParseEvents.QUESTIONS),
                segments.getSideOutput(DeadLetters.TAG));
    }

    /** The input topic; its source and decoder run at the job's parallelism (partitions are spread over them). */
    private static Inputs kafkaInputs(StreamExecutionEnvironment env, KafkaIo io) {
        DataStream<KafkaInput> records = env.fromSource(KafkaEvents.source(io.kafka()),
                WatermarkStrategy.noWatermarks(), KAFKA_SOURCE).uid(KAFKA_SOURCE);
        SingleOutputStreamOperator<VideoSegment> segments = records
                .process(KafkaEvents.decoder(PARSE), EventTypes.SEGMENT).name(KAFKA_PARSE).uid(KAFKA_PARSE);
        return new Inputs(segments, segments.getSideOutput(DecodeEvents.QUESTIONS),
                segments.getSideOutput(DeadLetters.TAG));
    }

    private static void fileSinks(StreamIo io, DataStream<AnswerEvent> answers, DataStream<PipelineError> errors) {
        LineEncoder<AnswerEvent> answerLines = EventJson::write;
        LineEncoder<PipelineError> errorLines = EventJson::write;
        answers.sinkTo(new JsonlFileSink<>(io.answers(), "answers", answerLines))
                .name("/job/sink/answers").uid("/job/sink/answers").setParallelism(1);
        errors.sinkTo(new JsonlFileSink<>(io.deadLetters(), "dead-letters", errorLines))
                .name("/job/sink/dead-letters").uid("/job/sink/dead-letters").setParallelism(1);
    }

    private static void kafkaSinks(KafkaIo io, DataStream<AnswerEvent> answers, DataStream<PipelineError> errors) {
        answers.sinkTo(KafkaEvents.answerSink(io.kafka()))
                .name("/job/sink/kafka/answers").uid("/job/sink/kafka/answers");
        errors.sinkTo(KafkaEvents.deadLetterSink(io.kafka()))
                .name("/job/sink/kafka/dead-letters").uid("/job/sink/kafka/dead-letters");
    }
}
