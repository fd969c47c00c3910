package dev.vlflow.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vlflow.conf.ModelOptions;
import dev.vlflow.conf.ModelSpec;
import dev.vlflow.conf.VideoOptions;
import dev.vlflow.conf.DecodingOptions;
import dev.vlflow.connectors.events.Question;
import dev.vlflow.connectors.events.VideoSegment;
import dev.vlflow.engine.Answer;
import dev.vlflow.engine.GenerationOptions;
import dev.vlflow.engine.TokenListener;
import dev.vlflow.engine.VlModel;
import dev.vlflow.engine.VlSession;
import dev.vlflow.operators.frames.SegmentFrames;
import dev.vlflow.operators.frames.SegmentReader;
import dev.vlflow.operators.model.EngineSettings;
import dev.vlflow.pipeline.stream.DemoInputs;
import dev.vlflow.pipeline.stream.RunConfiguration;
import dev.vlflow.vision.VideoLimits;
import dev.vlflow.vision.preprocess.Preprocessor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;

/**
 * Shared inputs of the end-to-end tests: the tiny model, the demo video, the demo's event script, a job
 * configuration with few frames and short answers, and the plain engine API as the reference.
 */
final class StreamFixture {

    static final int FRAMES = 2;
    static final int MAX_TOKENS = 8;

    final Path dir;
    final Path model;
    final Path video;
    final List<DemoInputs.Event> script;

    StreamFixture(Path dir) throws Exception {
        this.dir = dir;
        model = dir.resolve("tiny-random");
        DemoInputs.ensureModel(model);
        video = dir.resolve("video").resolve("demo.mp4");
        DemoInputs.ensureVideo(video);
        script = DemoInputs.script(video, MAX_TOKENS);
    }

    /**
     * RocksDB, parallelism 2, checkpoints every 300 ms, 2 frames a segment, 8-token answers; videos may be read from
     * the fixture's folder (model, video and the tests' inputs live there).
     */
    Configuration configuration(Path checkpoints) {
        Map<String, String> conf = new HashMap<>();
        conf.put(ModelOptions.PATH.key(), model.toString());
        conf.put(VideoOptions.FRAMES_PER_SEGMENT.key(), Integer.toString(FRAMES));
        conf.put(DecodingOptions.MAX_NEW_TOKENS.key(), Integer.toString(MAX_TOKENS));
        conf.put(CheckpointingOptions.CHECKPOINTING_INTERVAL.key(), "300 ms");
        conf.put(dev.vlflow.conf.InputOptions.FILE_ROOTS.key(), dir.toAbsolutePath().toString());
        return RunConfiguration.of(Optional.empty(), conf, Optional.empty(), 2, checkpoints);
    }

    List<VideoSegment> segments(String stream) {
        List<VideoSegment> out = new ArrayList<>();
        for (DemoInputs.Event e : script) {
            if (e instanceof DemoInputs.Segment s && s.segment().getStreamId().equals(stream)) {
                out.add(s.segment());
            }
        }
        return out;
    }

    Question question(String id) {
        for (DemoInputs.Event e : script) {
            if (e instanceof DemoInputs.Ask a && a.question().getQuestionId().equals(id)) {
                return a.question();
            }
        }
        throw new IllegalArgumentException("no question " + id);
    }

    /**
     * The plain engine API on the same inputs: a session of the stream's first {@code segments} segments (frames
     * read as the job reads them, encoded, appended one segment at a time), then the question, greedy.
     */
    Answer reference(VlModel engine, String stream, long segments, Question question) throws Exception {
        SegmentReader reader = new SegmentReader(Preprocessor.forModel(model), VideoLimits.defaults());
        VlSession session = engine.openSession();
        for (VideoSegment s : segments(stream).subList(0, (int) segments)) {
            SegmentFrames frames = reader.read(s, FRAMES);
            session.appendFrames(engine.encodeFrames(frames.pixels(), frames.frames()));
        }
        return session.ask(question.getText(), GenerationOptions.greedy(MAX_TOKENS), TokenListener.none());
    }

    VlModel load() {
        return VlModel.load(model, EngineSettings.engineOptions(ModelSpec.cpu(model.toString())));
    }

    static List<Integer> ids(JsonNode answer) {
        List<Integer> ids = new ArrayList<>();
        answer.get("token_ids").forEach(n -> ids.add(n.asInt()));
        return ids;
    }

    static Map<String, JsonNode> byQuestion(List<JsonNode> answers) {
        Map<String, JsonNode> out = new HashMap<>();
        for (JsonNode a : answers) {
            if (out.put(a.get("question").asText(), a) != null) {
                throw new AssertionError("question " + a.get("question").asText() + " answered twice");
            }
        }
        return out;
    }
}
