package dev.vlflow.engine.decode;

import dev.vlflow.engine.model.CheckpointException;
import dev.vlflow.engine.model.TensorFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A trained draft head beside a checkpoint ({@code draft_head.safetensors}), the hook of ALGORITHMS.md §4.5: from the
 * target's last-layer hidden state {@code f} at one position and the embedding {@code e} of the next token it
 * predicts the hidden state at that next position, {@code f' = W [f; e] + b} (EAGLE's input, one linear layer;
 * Falcon's LSTM/attention body would plug in here). The target's own final norm and LM head turn {@code f'} into
 * token logits.
 *
 * @param hidden model width H
 * @param weight [H, 2H] {@code draft_head.fc.weight}
 * @param bias   [H] {@code draft_head.fc.bias}
 */
public record DraftHead(int hidden, float[] weight, float[] bias) {

    public static final String FILE = "draft_head.safetensors";
    public static final String WEIGHT = "draft_head.fc.weight";
    public static final String BIAS = "draft_head.fc.bias";

    public DraftHead {
        if (weight.length != 2 * hidden * hidden || bias.length != hidden) {
            throw new IllegalArgumentException("a draft head of width " + hidden + " needs weight [" + hidden + ", "
                    + 2 * hidden + "] and bias [" + hidden + "]");
        }
    }

    /** The head in {@code checkpoint}'s directory, if it has one. */
    public static Optional<DraftHead> load(Path checkpoint, int hidden) {
        Path file = checkpoint.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Map<String, TensorFiles.Tensor> t = TensorFiles.readF32(file);
        if (!t.containsKey(WEIGHT) || !t.containsKey(BIAS)) {
            throw new CheckpointException(file + ": needs tensors " + WEIGHT + " and " + BIAS + ", has " + t.keySet());
        }
        return Optional.of(new DraftHead(hidden, t.get(WEIGHT).data(), t.get(BIAS).data()));
    }

    /** Writes this head into {@code checkpoint}'s directory. */
    public void write(Path checkpoint) {
        TensorFiles.writeF32(checkpoint.resolve(FILE), Map.of(
                WEIGHT, new TensorFiles.Tensor(new long[] {hidden, 2L * hidden}, weight),
                BIAS, new TensorFiles.Tensor(new long[] {hidden}, bias)));
    }

    /**
     * @param feature   [H] the target's (or the head's previous) hidden state
     * @param embedding [H] embedding of the token after it
     * @return [H] the predicted hidden state one position on
     */
    public float[] next(float[] feature, float[] embedding) {
        float[] out = bias.clone();
        int h = hidden;
        for (int r = 0; r < h; r++) {
            double acc = 0;
            int row = r * 2 * h;
            for (int c = 0; c < h; c++) {
                acc += weight[row + c] * feature[c] + weight[row + h + c] * embedding[c];
            }
            out[r] += (float) acc;
        }
        return out;
    }
}
