package dev.vlflow.bench.decode;

import dev.vlflow.connectors.videomme.AnnotationReader;
import dev.vlflow.connectors.videomme.VideoMmeFiles;
import dev.vlflow.connectors.videomme.VideoMmeQuestion;
import dev.vlflow.connectors.videomme.VideoMmeVideo;
import dev.vlflow.engine.FrameEmbeddings;
import dev.vlflow.engine.VlModel;
import dev.vlflow.pipeline.dataset.SyntheticVideoMme;
import dev.vlflow.pipeline.eval.FrameSampler;
import dev.vlflow.pipeline.eval.SampledVideo;
import dev.vlflow.pipeline.eval.VisionFrameSamplers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Videos of the synthetic Video-MME set, encoded once, each with its bare questions (no options: the trained model
 * answers them with a sentence). Every run of the benchmark asks the same questions over the same embeddings.
 *
 * @param videos the encoded videos and their questions
 */
record DecodeWorkload(List<Video> videos) {

    /** @param questions prompts asked in order, in one session over the video */
    record Video(String id, FrameEmbeddings frames, List<String> questions) {
    }

    static DecodeWorkload make(VlModel model, Path dir, int videoCount, int frames, int questionsPerVideo)
            throws Exception {
        SyntheticVideoMme.Written set = SyntheticVideoMme.write(dir, videoCount, 5, SyntheticVideoMme.Format.defaults());
        VideoMmeFiles files = new VideoMmeFiles(set.dir().resolve("video"));
        FrameSampler sampler = new VisionFrameSamplers().create(model);
        List<Video> out = new ArrayList<>();
        for (VideoMmeVideo v : AnnotationReader.readFile(set.dir().resolve("videomme.json")).videos()) {
            Path file = files.video(v).orElseThrow(() -> new IllegalStateException("no file for " + v.videoId()));
            SampledVideo sampled = sampler.sample(file, frames);
            FrameEmbeddings embeddings = model.encodeFrames(sampled.pixels(), sampled.frames());
            List<String> questions = v.questions().stream().map(VideoMmeQuestion::question)
                    .limit(questionsPerVideo).toList();
            out.add(new Video(v.videoId(), embeddings, questions));
        }
        return new DecodeWorkload(out);
    }

    /**
     * Every question asked twice in a row in the stream's session: the second answer quotes text the stream already
     * holds (the first answer), the case prompt lookup is for. (The trained model does not copy a transcript put in
     * the prompt, so quoting is measured against the stream's own earlier answers.)
     */
    DecodeWorkload repeated() {
        List<Video> out = new ArrayList<>();
        for (Video v : videos) {
            List<String> qs = new ArrayList<>();
            for (String q : v.questions()) {
                qs.add(q);
                qs.add(q);
            }
            out.add(new Video(v.id(), v.frames(), qs));
        }
        return new DecodeWorkload(out);
    }
}
