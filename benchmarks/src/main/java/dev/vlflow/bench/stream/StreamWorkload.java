package dev.vlflow.bench.stream;

import dev.vlflow.connectors.events.Question;
import dev.vlflow.connectors.events.VideoSegment;
import dev.vlflow.pipeline.stream.DemoInputs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark's events: {@code streams} streams over the same video, each cut into {@code segments} equal time
 * ranges, a question after every segment; streams interleaved segment by segment, as live cameras would be.
 */
record StreamWorkload(int streams, int segments, int frames, int maxTokens, List<DemoInputs.Event> events) {

    static StreamWorkload of(Path video, int streams, int segments, int frames, int maxTokens) {
        List<DemoInputs.Event> events = new ArrayList<>();
        double length = (double) DemoInputs.VIDEO_SECONDS / segments;
        for (int seg = 0; seg < segments; seg++) {
            for (int s = 0; s < streams; s++) {
                String stream = "cam-" + s;
                events.add(DemoInputs.segment(stream, seg, video.toString(), seg * length, (seg + 1) * length));
                events.add(DemoInputs.ask(stream, "q" + seg, "What is in segment " + seg + "?", seg, maxTokens));
            }
        }
        return new StreamWorkload(streams, segments, frames, maxTokens, List.copyOf(events));
    }

    List<VideoSegment> segmentsOf(String stream) {
        return events.stream().filter(e -> e instanceof DemoInputs.Segment s
                && s.segment().getStreamId().equals(stream)).map(e -> ((DemoInputs.Segment) e).segment()).toList();
    }

    List<Question> questionsOf(String stream) {
        return events.stream().filter(e -> e instanceof DemoInputs.Ask a && a.question().getStreamId().equals(stream))
                .map(e -> ((DemoInputs.Ask) e).question()).toList();
    }
}
