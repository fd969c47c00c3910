package dev.vlflow.pipeline.stream;

import dev.vlflow.conf.JobSpec;
import dev.vlflow.connectors.events.AnswerEvent;
import dev.vlflow.connectors.events.DeadLetters;
import dev.vlflow.connectors.events.EventJson;
import dev.vlflow.connectors.events.EventTypes;
import dev.vlflow.connectors.events.PipelineError;
import dev.vlflow.connectors.events.Question;
import dev.vlflow.connectors.events.VideoSegment;
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
 * JSONL source ─► parse ─► keyBy(stream) ─► sample frames ─► encode frames ─► keyBy(stream) ─┐
 *                   └──── questions ──────────────────────────────────────► keyBy(stream) ──┴► video session ─► answers
 * dead letters of every stage ─► one dead-letter sink
 * </pre>
 * Operator uids are the hierarchical names below, so savepoints survive changes to the job's shape. The input limits
 * ({@code vlflow.input.*}) hold at every stage: record size at the source, file roots, hosts and video caps where
 * frames are sampled, answer tokens, pending questions and stream positions in the session.
 */
public final class StreamingJob {

    public static final String SOURCE = "/job/source";
    public static final String PARSE = "/job/parse";
    public static final String SAMPLE = "/job/sample";
    public static final String ENCODE = "/job/encode";
    public static final String SESSION = "/job/session";

    private StreamingJob() {
    }

    /** Adds the job to {@code env}. */
    public static void build(StreamExecutionEnvironment env, JobSpec spec, StreamIo io) {
        JsonlSource source = JsonlSource.of(io.input()).withMaxLineBytes((int) spec.input().maxRecordBytes());
        if (io.follow().isPresent()) {
            source = source.monitorEvery(io.follow().get());
        }
        DataStream<SourceLine> lines = env.fromSource(source, WatermarkStrategy.noWatermarks(), SOURCE)
                .uid(SOURCE).setParallelism(1);

        SingleOutputStreamOperator<VideoSegment> segments = lines
                .process(new ParseEvents(PARSE), EventTypes.SEGMENT).name(PARSE).uid(PARSE).setParallelism(1);
        DataStream<Question> questions = segments.getSideOutput(ParseEvents.QUESTIONS);

        SingleOutputStreamOperator<SegmentFrames> frames = segments
                .keyBy(VideoSegment::getStreamId, Types.STRING)
                .process(new SampleFrames(spec.model(), spec.video(), spec.input(), SAMPLE), SegmentFramesSerializer.TYPE)
                .name(SAMPLE).uid(SAMPLE);

        SingleOutputStreamOperator<SegmentEmbeddings> embeddings = frames
                .process(new EncodeFrames(spec.model(), ENCODE), SegmentEmbeddingsSerializer.TYPE)
                .name(ENCODE).uid(ENCODE);

        SingleOutputStreamOperator<AnswerEvent> answers = embeddings
                .keyBy(SegmentEmbeddings::streamId, Types.STRING)
                .connect(questions.keyBy(Question::getStreamId, Types.STRING))
                .transform(SESSION, EventTypes.ANSWER_EVENT, new VideoSessionOperator(new VideoSessionFunction(
                        spec.model(), spec.kv(), spec.decoding(), spec.state(), spec.input(), SESSION), spec.serving(),
                        SESSION))
                .uid(SESSION);

        DataStream<PipelineError> deadLetters = segments.getSideOutput(DeadLetters.TAG)
                .union(frames.getSideOutput(DeadLetters.TAG), embeddings.getSideOutput(DeadLetters.TAG),
                        answers.getSideOutput(DeadLetters.TAG));

        LineEncoder<AnswerEvent> answerLines = EventJson::write;
        LineEncoder<PipelineError> errorLines = EventJson::write;
        answers.sinkTo(new JsonlFileSink<>(io.answers(), "answers", answerLines))
                .name("/job/sink/answers").uid("/job/sink/answers").setParallelism(1);
        deadLetters.sinkTo(new JsonlFileSink<>(io.deadLetters(), "dead-letters", errorLines))
                .name("/job/sink/dead-letters").uid("/job/sink/dead-letters").setParallelism(1);
        if (io.console()) {
            answers.sinkTo(new ConsoleSink<>(new AnswerConsoleFormat(), ConsoleSink.Target.STDOUT))
                    .name("/job/sink/console").uid("/job/sink/console").setParallelism(1);
            deadLetters.sinkTo(new ConsoleSink<>(new ErrorConsoleFormat(), ConsoleSink.Target.STDERR))
                    .name("/job/sink/console-errors").uid("/job/sink/console-errors").setParallelism(1);
        }
    }
}
