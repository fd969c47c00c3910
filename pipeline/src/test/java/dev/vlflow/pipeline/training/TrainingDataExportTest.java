package dev.vlflow.pipeline.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlflow.cli.Main;
import dev.vlflow.connectors.videomme.AnnotationReader;
import dev.vlflow.connectors.videomme.VideoMmeQuestion;
import dev.vlflow.connectors.videomme.VideoMmeVideo;
import dev.vlflow.engine.VlModel;
import dev.vlflow.engine.model.ModelConfigJson;
import dev.vlflow.engine.text.ChatMessage;
import dev.vlflow.engine.text.ChatTemplate;
import dev.vlflow.engine.text.TextTokenizer;
import dev.vlflow.pipeline.eval.SampledVideo;
import dev.vlflow.pipeline.eval.VisionFrameSamplers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code export-training-data} on a 3-video synthetic set with the tiny-random model: the exported pixels are the
 * evaluation's pixels bit for bit, every prompt is the chat template's rendering split at {@code <video>} with the
 * slots expanded, targets are the answers plus {@code <|im_end|>}; and {@code engine-logits} agrees with the
 * session's greedy answer.
 */
class TrainingDataExportTest {

    private static final int FRAMES = 4;

    @TempDir
    static Path dir;

    static Path model;
    static Path dataset;
    static Path export;

    @BeforeAll
    static void export() {
        model = dir.resolve("model");
        dataset = dir.resolve("set");
        export = dir.resolve("export");
        assertEquals(0, Main.run("make-model", "--preset", "tiny-random", "--out", model.toString()));
        assertEquals(0, Main.run("make-dataset", "videomme-synthetic", "--out", dataset.toString(), "--videos", "3",
                "--seed", "4"));
        assertEquals(0, Main.run("export-training-data", "--dataset", dataset.toString(), "--model", model.toString(),
                "--frames", String.valueOf(FRAMES), "--out", export.toString(), "--shuffles", "1", "--subtitles",
                "--kinds", "letter,sentence,lookup"));
    }

    @Test
    void pixelsAreWhatTheEvaluationSamples() throws Exception {
        ExportFile file = ExportFile.open(export);
        assertEquals(3, file.videos());
        assertEquals((long) 3 * FRAMES * 3 * 112 * 112 * 4, Files.size(export.resolve(TrainingDataWriter.PIXELS)));
        try (VlModel m = VlModel.load(model)) {
            for (int v = 0; v < 3; v++) {
                Path video = dataset.resolve("video").resolve(String.format("%03d.mp4", v + 1));
                SampledVideo sampled = new VisionFrameSamplers().create(m).sample(video, FRAMES);
                assertArrayEquals(sampled.pixels(), file.pixels(v), "video " + v);
            }
        }
    }

    @Test
    void promptsAndTargetsAreTheEnginesTokens() {
        ExportFile file = ExportFile.open(export);
        List<VideoMmeVideo> videos = AnnotationReader.readFile(dataset.resolve("videomme.json")).videos();
        Map<String, VideoMmeQuestion> questions = new HashMap<>();
        videos.forEach(v -> v.questions().forEach(q -> questions.put(q.questionId(), q)));
        ChatTemplate template = ChatTemplate.fromDirectory(model);
        List<String> kinds = new ArrayList<>();
        try (TextTokenizer tokenizer = TextTokenizer.open(model)) {
            int video = tokenizer.tokenId("<video>");
            int imEnd = tokenizer.tokenId("<|im_end|>");
            for (ExportFile.Sample s : file.samples()) {
                String rendered = template.renderForGeneration(List.of(ChatMessage.userWithVideo(s.prompt())));
                int at = rendered.indexOf("<video>");
                int[] head = tokenizer.encode(rendered.substring(0, at));
                int[] tail = tokenizer.encode(rendered.substring(at + "<video>".length()));
                int slots = FRAMES * 16 + 1;
                int[] expected = new int[head.length + slots + tail.length];
                System.arraycopy(head, 0, expected, 0, head.length);
                Arrays.fill(expected, head.length, head.length + slots, video);
                System.arraycopy(tail, 0, expected, head.length + slots, tail.length);
                assertArrayEquals(expected, s.inputIds(), s.questionId());

                int[] target = s.targetIds();
                assertEquals(imEnd, target[target.length - 1]);
                String answer = tokenizer.decode(Arrays.copyOf(target, target.length - 1));
                VideoMmeQuestion q = questions.get(s.questionId());
                if (s.kind().equals("letter") || s.kind().equals("lookup")) {
                    String asked = s.kind().equals("lookup") ? q.answerSentence().orElseThrow() + " " + q.question()
                            : q.question();
                    assertTrue(s.prompt().contains("\n" + asked + "\n") && s.prompt().endsWith("The best answer is:"),
                            s.prompt());
                    // the letter points at the same option text as in the file, whatever the order
                    String text = s.prompt().lines().filter(l -> l.startsWith(answer + ". ")).findFirst().orElseThrow();
                    assertEquals(q.options().get(q.answerIndex()).substring(3), text.substring(3));
                } else {
                    assertEquals(q.question(), s.prompt());
                    assertEquals(q.answerSentence().orElseThrow(), answer);
                }
                kinds.add(s.kind());
            }
        }
        assertTrue(kinds.containsAll(List.of("letter", "sentence", "lookup")), kinds.toString());
    }

    @Test
    void engineLogitsAgreeWithTheSessionsGreedyAnswer() throws Exception {
        ExportFile file = ExportFile.open(export);
        Path out = dir.resolve("logits");
        assertEquals(0, Main.run("engine-logits", "--export", export.toString(), "--model", model.toString(),
                "--samples", "0,1", "--max-new-tokens", "3", "--out", out.toString()));
        var meta = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("logits.json").toFile());
        int vocab = meta.get("vocab").asInt();
        java.nio.FloatBuffer all = java.nio.ByteBuffer.wrap(Files.readAllBytes(out.resolve("logits.f32")))
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        for (var e : meta.get("samples")) {
            ExportFile.Sample s = file.samples().get(e.get("sample").asInt());
            int rows = e.get("rows").asInt();
            assertEquals(s.inputIds().length + s.targetIds().length - 1, rows);
            // the row of the last prompt token predicts the first answer token: greedy = the session's first id
            int base = e.get("offset").asInt() + (s.inputIds().length - 1) * vocab;
            int best = 0;
            for (int v = 0; v < vocab; v++) {
                assertTrue(Float.isFinite(all.get(base + v)));
                if (all.get(base + v) > all.get(base + best)) {
                    best = v;
                }
            }
            var answer = e.get("session_answer_ids");
            if (answer.isEmpty()) {
                assertTrue(ModelConfigJson.read(model).eosTokenIds().contains(best), "stopped at once, so eos");
            } else {
                assertEquals(answer.get(0).asInt(), best);
            }
        }
        assertEquals(2, meta.get("samples").size());
    }
}
