package dev.vlflow.pipeline.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vlflow.engine.Answer;
import dev.vlflow.engine.FrameEmbeddings;
import dev.vlflow.engine.GenerationOptions;
import dev.vlflow.engine.TokenListener;
import dev.vlflow.engine.VlModel;
import dev.vlflow.engine.VlSession;
import dev.vlflow.engine.model.Checkpoint;
import dev.vlflow.engine.runtime.DecoderRunner;
import dev.vlflow.engine.runtime.ForwardResult;
import dev.vlflow.engine.runtime.LogitRows;
import dev.vlflow.kv.KvCache;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

/**
 * The Java engine's logits on exported samples, for the PyTorch parity check ({@code tools/train/check_parity.py}).
 *
 * <p>Per sample: the video's exported pixels go through {@link VlModel#encodeFrames} (vision tower, projector,
 * pooling); the sequence {@code input_ids + target_ids[:-1]} (teacher forcing) is embedded with the video slots
 * filled by the frame rows and the {@code image_newline} row, and run through the decoder in one block on a fresh
 * cache, logits for every row. Separately the sample's prompt text is asked through a {@link VlSession} (the
 * evaluation's path: header and frames prefilled, then the question) and the greedy answer ids recorded.
 * <pre>
 * DIR/logits.f32    little-endian float32, the samples' [rows, vocab] blocks one after another
 * DIR/logits.json   {"vocab", "samples": [{"sample", "offset" (floats), "rows", "ids", "session_answer_ids",
 *                    "session_answer_text"}]}
 * </pre>
 */
public final class EngineLogits {

    private static final String NEWLINE = "model.image_newline";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private EngineLogits() {
    }

    /** Dumps the given sample indices of {@code export}; returns the number of logit rows written. */
    public static long dump(VlModel model, ExportFile export, List<Integer> sampleIndices, int maxNewTokens,
                            Path out) {
        int hidden = model.config().text().hiddenSize();
        int vocab = model.config().text().vocabSize();
        int videoId = model.config().videoTokenId();
        float[] newline = new float[hidden];
        try (Checkpoint weights = Checkpoint.open(model.directory())) {
            weights.floats(NEWLINE).get(0, newline);
        }
        ObjectNode meta = JSON.createObjectNode();
        meta.put("vocab", vocab);
        ArrayNode list = meta.putArray("samples");
        long offset = 0;
        long rowsWritten = 0;
        try {
            Files.createDirectories(out);
            try (FileChannel file = FileChannel.open(out.resolve("logits.f32"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                for (int index : sampleIndices) {
                    ExportFile.Sample s = export.samples().get(index);
                    FrameEmbeddings frames = model.encodeFrames(export.pixels(s.video()), export.frames());
                    int[] ids = teacherForced(s);
                    float[] logits = fullForward(model, ids, frames, newline, videoId);
                    write(file, logits);
                    Answer answer = sessionAnswer(model, frames, s.prompt(), maxNewTokens);
                    ObjectNode e = list.addObject();
                    e.put("sample", index);
                    e.put("offset", offset);
                    e.put("rows", ids.length);
                    ArrayNode idArray = e.putArray("ids");
                    Arrays.stream(ids).forEach(idArray::add);
                    ArrayNode answerIds = e.putArray("session_answer_ids");
                    answer.tokenIds().forEach(answerIds::add);
                    e.put("session_answer_text", answer.text());
                    offset += logits.length;
                    rowsWritten += ids.length;
                }
            }
            JSON.writeValue(out.resolve("logits.json").toFile(), meta);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write logits to " + out, e);
        }
        return rowsWritten;
    }

    /** {@code input_ids + target_ids[:-1]}: every target token is predicted from the row before it. */
    static int[] teacherForced(ExportFile.Sample s) {
        int[] in = s.inputIds();
        int[] target = s.targetIds();
        int[] ids = Arrays.copyOf(in, in.length + target.length - 1);
        System.arraycopy(target, 0, ids, in.length, target.length - 1);
        return ids;
    }

    /** Logits of every row, [ids.length, vocab], from one decoder pass on a fresh cache. */
    static float[] fullForward(VlModel model, int[] ids, FrameEmbeddings frames, float[] newline, int videoId) {
        DecoderRunner decoder = model.decoder();
        int hidden = frames.hidden();
        float[] rows = decoder.embed(ids);
        float[] video = frames.rows();
        int next = 0;
        for (int t = 0; t < ids.length; t++) {
            if (ids[t] == videoId) {
                if (next < frames.tokens()) {
                    System.arraycopy(video, next * hidden, rows, t * hidden, hidden);
                } else if (next == frames.tokens()) {
                    System.arraycopy(newline, 0, rows, t * hidden, hidden);
                } else {
                    throw new IllegalArgumentException("more video slots than " + (frames.tokens() + 1));
                }
                next++;
            }
        }
        if (next != frames.tokens() + 1) {
            throw new IllegalArgumentException(next + " video slots for " + frames.frames() + " frames");
        }
        int[] positions = new int[ids.length];
        Arrays.setAll(positions, i -> i);
        KvCache cache = model.options().kvCache().create(model.cacheShape());
        ForwardResult result = decoder.forward(rows, ids.length, positions, cache, LogitRows.ALL);
        return result.logits();
    }

    private static Answer sessionAnswer(VlModel model, FrameEmbeddings frames, String prompt, int maxNewTokens) {
        VlSession session = model.openSession();
        session.appendFrames(frames);
        return session.ask(prompt, GenerationOptions.greedy(maxNewTokens), TokenListener.none());
    }

    private static void write(FileChannel file, float[] values) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        while (bytes.hasRemaining()) {
            file.write(bytes);
        }
    }
}
