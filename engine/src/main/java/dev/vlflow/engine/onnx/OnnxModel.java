package dev.vlflow.engine.onnx;

import dev.vlflow.engine.model.ModelConfig;
import dev.vlflow.engine.model.TextConfig;
import dev.vlflow.engine.model.VisionConfig;
import dev.vlflow.engine.model.Weights;
import dev.vlflow.engine.quant.WeightPrecision;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The model's dense parts on ONNX Runtime: one session per graph (vision tower, projector + pooling, per decoder
 * layer pre- and post-attention, head), weights supplied from the checkpoint as external initializers.
 * Attention, RoPE and the KV cache are the caller's. Arrays are row-major float32; shapes are in the Javadoc.
 *
 * <p>Owns every native object it creates; the {@link Weights} must stay open until this model is closed. Calls may
 * come from several threads (sessions are thread-safe). On the CPU provider ONNX Runtime prepacks each Gemm weight
 * once per session (a second copy of the weights in memory, about 30% faster prefill); idle intra-op threads sleep
 * rather than spin, so Java attention between calls keeps its cores.
 */
public final class OnnxModel implements AutoCloseable {

    private final ModelConfig config;
    private final SessionFactory factory;
    private final List<GraphSession> sessions; // all, in build order, for dumping and closing
    private final GraphSession vision;
    private final GraphSession projector;
    private final GraphSession[] pre;
    private final GraphSession[] post;
    private final GraphSession head;
    private final Weights weights;
    private final WeightPrecision precision;
    private final GraphSession[] attentionOnly; // [layers], opened on first use (layer-skipping passes only)
    private final GraphSession[] mlpOnly;       // [layers], opened on first use
    private boolean closed;

    private OnnxModel(Weights weights, WeightPrecision precision, SessionFactory factory,
                      List<GraphSession> sessions) {
        ModelConfig config = weights.config();
        this.weights = weights;
        this.precision = precision;
        this.config = config;
        this.factory = factory;
        this.sessions = List.copyOf(sessions);
        int layers = config.text().numHiddenLayers();
        this.vision = sessions.get(0);
        this.projector = sessions.get(1);
        this.pre = new GraphSession[layers];
        this.post = new GraphSession[layers];
        for (int i = 0; i < layers; i++) {
            pre[i] = sessions.get(2 + 2 * i);
            post[i] = sessions.get(3 + 2 * i);
        }
        this.head = sessions.get(2 + 2 * layers);
        this.attentionOnly = new GraphSession[layers];
        this.mlpOnly = new GraphSession[layers];
    }

    /** Builds every graph of {@code weights}' model with float32 weights and opens its session on {@code provider}. */
    public static OnnxModel build(Weights weights, ExecutionProvider provider) {
        return build(weights, provider, WeightPrecision.FP32);
    }

    /**
     * Builds every graph with the decoder's projections and LM head at {@code precision} (quantized here, from the
     * checkpoint tensors) and opens the sessions on {@code provider}.
     */
    public static OnnxModel build(Weights weights, ExecutionProvider provider, WeightPrecision precision) {
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(provider, "provider");
        List<OnnxGraph> graphs = graphsOf(weights, precision);
        SessionFactory factory = new SessionFactory(weights, provider);
        List<GraphSession> sessions = new ArrayList<>();
        try {
            for (OnnxGraph graph : graphs) {
                sessions.add(factory.open(graph));
            }
            return new OnnxModel(weights, precision, factory, sessions);
        } catch (RuntimeException e) {
            closeAll(sessions, factory);
            throw e;
        }
    }

    /**
     * The graphs of {@code weights}' model without opening sessions: vision tower, projector + pooling, per layer
     * pre- and post-attention, head. Reads only tensor shapes.
     */
    public static List<OnnxGraph> graphsOf(Weights weights) {
        return graphsOf(weights, WeightPrecision.FP32);
    }

    /** As {@link #graphsOf(Weights)}, the decoder's projections and LM head at {@code precision}. */
    public static List<OnnxGraph> graphsOf(Weights weights, WeightPrecision precision) {
        List<OnnxGraph> graphs = new ArrayList<>();
        graphs.add(VisionGraphs.tower(weights));
        graphs.add(VisionGraphs.projectorAndPool(weights));
        for (int layer = 0; layer < weights.config().text().numHiddenLayers(); layer++) {
            graphs.add(DecoderGraphs.preAttention(weights, layer, precision));
            graphs.add(DecoderGraphs.postAttention(weights, layer, precision));
        }
        graphs.add(DecoderGraphs.head(weights, precision));
        return graphs;
    }

    /**
     * Writes each graph as {@code <graph name>.onnx} into {@code directory} (created if needed), for inspection
     * with other tools. The files hold no weights: their initializers are marked external (location
     * {@code supplied-by-session}) under the checkpoint's tensor names.
     */
    public static List<Path> writeGraphs(List<OnnxGraph> graphs, Path directory) {
        try {
            Files.createDirectories(directory);
            List<Path> written = new ArrayList<>();
            for (OnnxGraph g : graphs) {
                Path file = directory.resolve(g.name() + ".onnx");
                Files.write(file, g.model());
                written.add(file);
            }
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException("writing ONNX graphs to " + directory + " failed", e);
        }
    }

    public ModelConfig config() {
        return config;
    }

    /** The precision of the decoder's projections and LM head. */
    public WeightPrecision precision() {
        return precision;
    }

    /**
     * The SigLIP tower.
     *
     * @param pixels [frames, channels, imageSize, imageSize], normalized
     * @return [frames, patches, visionHidden] (last encoder layer, no post-layernorm)
     */
    public float[] visionFeatures(float[] pixels, int frames) {
        VisionConfig v = config.vision();
        positive(frames, "frames");
        return vision.run(new GraphSession.Input(pixels, frames, v.numChannels(), v.imageSize(), v.imageSize()))[0];
    }

    /**
     * Projector then 2x2 bilinear pooling (the caller appends {@code model.image_newline}).
     *
     * @param features [frames, patches, visionHidden]
     * @return [frames * tokensPerFrame, hidden]
     */
    public float[] projectAndPool(float[] features, int frames) {
        VisionConfig v = config.vision();
        positive(frames, "frames");
        return projector.run(new GraphSession.Input(features, (long) frames * v.numPatches(), v.hiddenSize()))[0];
    }

    /**
     * RMSNorm and q/k/v projections (with bias) of decoder layer {@code layer}, before RoPE.
     *
     * @param hidden [tokens, hidden]
     */
    public QkvProjection preAttention(int layer, float[] hidden, int tokens) {
        positive(tokens, "tokens");
        float[][] out = pre[checkLayer(layer)].run(new GraphSession.Input(hidden, tokens, config.text().hiddenSize()));
        return new QkvProjection(out[0], out[1], out[2]);
    }

    /**
     * o projection, residual, RMSNorm and SwiGLU MLP of decoder layer {@code layer}.
     *
     * @param residual  [tokens, hidden] the layer's input
     * @param attention [tokens, heads * headDim] attention output, heads concatenated
     * @return [tokens, hidden] the layer's output
     */
    public float[] postAttention(int layer, float[] residual, float[] attention, int tokens) {
        TextConfig t = config.text();
        positive(tokens, "tokens");
        return post[checkLayer(layer)].run(new GraphSession.Input(residual, tokens, t.hiddenSize()),
                new GraphSession.Input(attention, tokens, (long) t.numAttentionHeads() * t.headDim()))[0];
    }

    /**
     * The o projection and attention residual of decoder layer {@code layer}, its MLP skipped (layer-skipping
     * passes). The graph's session opens on first use.
     *
     * @param residual  [tokens, hidden] the layer's input
     * @param attention [tokens, heads * headDim]
     * @return [tokens, hidden]
     */
    public float[] attentionOnly(int layer, float[] residual, float[] attention, int tokens) {
        TextConfig t = config.text();
        positive(tokens, "tokens");
        GraphSession s = partial(attentionOnly, checkLayer(layer),
                (w, l) -> DecoderGraphs.attentionOnly(w, l, precision));
        return s.run(new GraphSession.Input(residual, tokens, t.hiddenSize()),
                new GraphSession.Input(attention, tokens, (long) t.numAttentionHeads() * t.headDim()))[0];
    }

    /**
     * The MLP residual of decoder layer {@code layer}, its attention skipped (layer-skipping passes). The graph's
     * session opens on first use.
     *
     * @param hidden [tokens, hidden] the layer's input
     * @return [tokens, hidden]
     */
    public float[] mlpOnly(int layer, float[] hidden, int tokens) {
        positive(tokens, "tokens");
        GraphSession s = partial(mlpOnly, checkLayer(layer), (w, l) -> DecoderGraphs.mlpOnly(w, l, precision));
        return s.run(new GraphSession.Input(hidden, tokens, config.text().hiddenSize()))[0];
    }

    private synchronized GraphSession partial(GraphSession[] opened, int layer,
                                              java.util.function.BiFunction<Weights, Integer, OnnxGraph> graph) {
        if (closed) {
            throw new IllegalStateException("model is closed");
        }
        if (opened[layer] == null) {
            opened[layer] = factory.open(graph.apply(weights, layer));
        }
        return opened[layer];
    }

    /**
     * Final RMSNorm and LM head.
     *
     * @param hidden [tokens, hidden]
     * @return [tokens, vocab]
     */
    public float[] logits(float[] hidden, int tokens) {
        positive(tokens, "tokens");
        return head.run(new GraphSession.Input(hidden, tokens, config.text().hiddenSize()))[0];
    }

    /** The graphs this model runs, in build order. */
    public List<OnnxGraph> graphs() {
        List<OnnxGraph> out = new ArrayList<>();
        for (GraphSession s : sessions) {
            out.add(s.graph());
        }
        return out;
    }

    /** Writes this model's graphs into {@code directory}; see {@link #writeGraphs}. */
    public List<Path> dumpGraphs(Path directory) {
        return writeGraphs(graphs(), directory);
    }

    private static void positive(int count, String what) {
        if (count <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got " + count);
        }
    }

    private int checkLayer(int layer) {
        if (layer < 0 || layer >= pre.length) {
            throw new IndexOutOfBoundsException("layer " + layer + " outside 0.." + (pre.length - 1));
        }
        return layer;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            List<GraphSession> all = new ArrayList<>();
            for (GraphSession s : attentionOnly) {
                if (s != null) {
                    all.add(s);
                }
            }
            for (GraphSession s : mlpOnly) {
                if (s != null) {
                    all.add(s);
                }
            }
            all.addAll(sessions);
            closeAll(all, factory);
        }
    }

    private static void closeAll(List<GraphSession> sessions, SessionFactory factory) {
        RuntimeException first = null;
        for (GraphSession s : sessions) {
            try {
                s.close();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        factory.close();
        if (first != null) {
            throw first;
        }
    }
}
