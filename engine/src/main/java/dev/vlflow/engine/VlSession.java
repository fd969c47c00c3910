package dev.vlflow.engine;

import dev.vlflow.engine.runtime.DecoderRunner;
import dev.vlflow.engine.runtime.ForwardResult;
import dev.vlflow.engine.runtime.LogitRows;
import dev.vlflow.engine.runtime.Sampler;
import dev.vlflow.engine.text.DecodeStream;
import dev.vlflow.engine.zipvl.PromptPart;
import dev.vlflow.engine.zipvl.ZipVlStats;
import dev.vlflow.kv.KvCache;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One conversation over one video: the KV cache of the prompt header and of the frames appended so far.
 *
 * <p>Frames are prefilled as they arrive ({@link #appendFrames}); a question is answered on a fork of the cache
 * ({@link #ask}), so the video context is computed once and shared by every question. The prompt is exactly the
 * chat template's rendering of a user turn holding the video and the question: the template's text before
 * {@code <video>} is prefilled with the first frames, the video's {@code image_newline} row and the text after
 * {@code <video>} with each question.
 *
 * <p>Not thread-safe: one owner at a time.
 */
public final class VlSession {

    private final VlModel model;
    private final KvCache cache;
    private int nextPosition;
    private int frames;
    private Optional<ZipVlStats> zipvlStats = Optional.empty(); // of the frames' prefills, when ZipVL ran

    VlSession(VlModel model, KvCache cache, SessionState state) {
        // an evicting cache holds fewer tokens than the next position (evicted tokens keep no slot), never more
        if (cache.size(0) > state.contextTokens()) {
            throw new IllegalArgumentException("cache holds " + cache.size(0) + " tokens but the session state says "
                    + "only " + state.contextTokens() + " were prefilled");
        }
        this.model = model;
        this.cache = cache;
        this.nextPosition = state.contextTokens();
        this.frames = state.frames();
    }

    /** What, with {@link #cache()}, restores this session. */
    public SessionState state() {
        return new SessionState(nextPosition, frames);
    }

    /** Tokens in the cache (header and video so far). */
    public int contextTokens() {
        return nextPosition;
    }

    /** Frames appended so far. */
    public int frames() {
        return frames;
    }

    /** Bytes the cache holds. */
    public long kvBytes() {
        return cache.bytes();
    }

    /** What ZipVL did while the frames were prefilled (empty for a dense prefill). */
    public Optional<ZipVlStats> zipVlStats() {
        return zipvlStats;
    }

    /** The cache itself, for callers that persist it (the streaming job's keyed state). */
    public KvCache cache() {
        return cache;
    }

    /** Prefills encoded frames after those already in the session (the prompt header goes first). */
    public void appendFrames(FrameEmbeddings embeddings) {
        DecoderRunner decoder = model.decoder();
        int hidden = model.config().text().hiddenSize();
        if (embeddings.hidden() != hidden) {
            throw new IllegalArgumentException("frame embeddings of width " + embeddings.hidden()
                    + " do not fit a model of width " + hidden);
        }
        float[] rows = embeddings.rows();
        int tokens = embeddings.tokens();
        if (nextPosition == 0) {
            int[] header = model.prompts().videoHeader();
            float[] headerRows = decoder.embed(header);
            rows = concat(headerRows, rows);
            tokens += header.length;
        }
        prefill(rows, tokens, cache);
        frames += embeddings.frames();
    }

    /**
     * Answers a question about the frames appended so far, on a fork of the cache (this session is unchanged), and
     * streams tokens to {@code listener} as they are generated. With no frames, the question is asked as text only.
     */
    public Answer ask(String question, GenerationOptions options, TokenListener listener) {
        long start = System.nanoTime();
        DecoderRunner decoder = model.decoder();
        KvCache fork = cache.fork();
        int contextTokens = nextPosition;
        float[] rows;
        int tokens;
        if (frames == 0) {
            if (nextPosition != 0) {
                throw new IllegalStateException("session holds tokens but no frames");
            }
            int[] ids = model.prompts().textOnly(question);
            rows = decoder.embed(ids);
            tokens = ids.length;
        } else {
            int[] tail = model.prompts().questionTail(question);
            rows = concat(model.newline(), decoder.embed(tail));
            tokens = tail.length + 1;
        }
        int position = nextPosition;
        int[] positions = range(position, tokens);
        ForwardResult result = decoder.prefill(rows, tokens, positions, fork, model.options().prefillChunk(),
                PromptPart.QUESTION, stats -> { });
        position += tokens;
        return generate(result, position, fork, options, listener, start, tokens, contextTokens);
    }

    /** Greedy answer with no streaming. */
    public Answer ask(String question, int maxNewTokens) {
        return ask(question, GenerationOptions.greedy(maxNewTokens), TokenListener.none());
    }

    private Answer generate(ForwardResult first, int position, KvCache fork, GenerationOptions options,
                            TokenListener listener, long start, int promptTokens, int contextTokens) {
        DecoderRunner decoder = model.decoder();
        Sampler sampler = new Sampler(options.sampling());
        Set<Integer> stops = new HashSet<>(model.config().eosTokenIds());
        stops.addAll(options.extraStopIds());
        DecodeStream text = new DecodeStream(model.tokenizer());
        List<Integer> ids = new ArrayList<>();
        float[] logits = first.row(0);
        long firstTokenAt = 0;
        Answer.StopReason reason = Answer.StopReason.MAX_TOKENS;
        while (ids.size() < options.maxNewTokens()) {
            model.maskUngeneratable(logits);
            int id = sampler.next(logits);
            if (firstTokenAt == 0) {
                firstTokenAt = System.nanoTime();
            }
            if (stops.contains(id)) {
                reason = Answer.StopReason.STOP_TOKEN;
                break;
            }
            ids.add(id);
            listener.onToken(ids.size() - 1, id, text.add(id));
            if (ids.size() == options.maxNewTokens()) {
                break;
            }
            ForwardResult next = decoder.forward(decoder.embed(new int[] {id}), 1, new int[] {position}, fork,
                    LogitRows.LAST);
            position++;
            logits = next.row(0);
        }
        long end = System.nanoTime();
        return new Answer(text.text(), ids, reason, promptTokens, contextTokens, firstTokenAt - start, end - start,
                fork.bytes());
    }

    private void prefill(float[] rows, int tokens, KvCache target) {
        model.decoder().prefill(rows, tokens, range(nextPosition, tokens), target, model.options().prefillChunk(),
                s -> zipvlStats = Optional.of(zipvlStats.map(s::plus).orElse(s)));
        nextPosition += tokens;
    }

    private static int[] range(int from, int count) {
        int[] r = new int[count];
        for (int i = 0; i < count; i++) {
            r[i] = from + i;
        }
        return r;
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = new float[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
