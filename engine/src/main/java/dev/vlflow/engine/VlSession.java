package dev.vlflow.engine;

import dev.vlflow.engine.decode.DrafterSpec;
import dev.vlflow.engine.decode.NgramIndex;
import dev.vlflow.engine.decode.SelfDraftTuning;
import dev.vlflow.engine.decode.SkipSource;
import dev.vlflow.engine.decode.Speculator;
import dev.vlflow.engine.runtime.DecoderRunner;
import dev.vlflow.engine.runtime.ForwardResult;
import dev.vlflow.engine.runtime.Sampler;
import dev.vlflow.engine.zipvl.PromptPart;
import dev.vlflow.engine.zipvl.VideoSpan;
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
    private final List<Integer> text = new ArrayList<>(); // [ids] prompt header, questions and answers so far
    private SelfDraftTuning selfDraft; // made on first use by a layer-skip drafter
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
        if (state.frames() > 0) {
            // a resumed session's prompt header; its earlier questions and answers are not kept in the state
            for (int id : model.prompts().videoHeader()) {
                text.add(id);
            }
        }
    }

    VlModel model() {
        return model;
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

    /** Positions a session of this model may use: the model's {@code max_position_embeddings}. */
    public int maxPositions() {
        return model.config().text().maxPositionEmbeddings();
    }

    /** Positions {@link #appendFrames} would add for {@code embeddings} (with the prompt header when first). */
    public int positionsFor(FrameEmbeddings embeddings) {
        return embeddings.tokens() + (nextPosition == 0 ? model.prompts().videoHeader().length : 0);
    }

    /** Prefills encoded frames after those already in the session (the prompt header goes first). */
    public void appendFrames(FrameEmbeddings embeddings) {
        appendFrames(embeddings, () -> { });
    }

    /**
     * {@link #appendFrames(FrameEmbeddings)}, running {@code betweenChunks} between prefill chunks (a server's other
     * answers step there; it must not use this session).
     *
     * @throws ContextFullException when the frames would take the session past {@link #maxPositions()} (nothing is
     *                              prefilled)
     */
    public void appendFrames(FrameEmbeddings embeddings, Runnable betweenChunks) {
        DecoderRunner decoder = model.decoder();
        int hidden = model.config().text().hiddenSize();
        if (embeddings.hidden() != hidden) {
            throw new IllegalArgumentException("frame embeddings of width " + embeddings.hidden()
                    + " do not fit a model of width " + hidden);
        }
        if ((long) nextPosition + positionsFor(embeddings) > maxPositions()) {
            throw new ContextFullException(positionsFor(embeddings) + " more positions would take the stream past "
                    + "the model's " + maxPositions() + " (max_position_embeddings; " + nextPosition + " used)");
        }
        float[] rows = embeddings.rows();
        int tokens = embeddings.tokens();
        if (nextPosition == 0) {
            int[] header = model.prompts().videoHeader();
            for (int id : header) {
                text.add(id);
            }
            float[] headerRows = decoder.embed(header);
            rows = concat(headerRows, rows);
            tokens += header.length;
        }
        model.decoder().prefill(rows, tokens, range(nextPosition, tokens), cache, model.options().prefillChunk(),
                PromptPart.CONTEXT, s -> zipvlStats = Optional.of(zipvlStats.map(s::plus).orElse(s)), betweenChunks,
                VideoSpan.from(model.prompts().videoHeader().length));
        nextPosition += tokens;
        frames += embeddings.frames();
    }

    /**
     * Answers a question about the frames appended so far, on a fork of the cache (this session is unchanged), and
     * streams tokens to {@code listener} as they are generated. With no frames, the question is asked as text only.
     */
    public Answer ask(String question, GenerationOptions options, TokenListener listener) {
        Generation g = start(question, options, listener);
        while (!g.finished()) {
            g.step();
        }
        return g.answer();
    }

    /** Greedy answer with no streaming. */
    public Answer ask(String question, int maxNewTokens) {
        return ask(question, GenerationOptions.greedy(maxNewTokens), TokenListener.none());
    }

    /**
     * Prefills a question on a fork of the cache and returns its generation, to be stepped by the caller
     * ({@link Generation#step()}) until finished. The session's text (prompt header, questions, answers) feeds
     * prompt lookup; a finished answer joins it. An answer that would run past {@link #maxPositions()} is given
     * fewer tokens: it ends ({@code MAX_TOKENS}) where the positions end.
     *
     * @throws ContextFullException when the question itself does not fit the positions left (nothing is prefilled)
     */
    public Generation start(String question, GenerationOptions options, TokenListener listener) {
        long start = System.nanoTime();
        DecoderRunner decoder = model.decoder();
        KvCache fork = cache.fork();
        int contextTokens = nextPosition;
        int[] ids;
        float[] rows;
        if (frames == 0) {
            if (nextPosition != 0) {
                throw new IllegalStateException("session holds tokens but no frames");
            }
            ids = model.prompts().textOnly(question);
            rows = decoder.embed(ids);
        } else {
            ids = model.prompts().questionTail(question);
            rows = concat(model.newline(), decoder.embed(ids));
        }
        int tokens = rows.length / model.config().text().hiddenSize();
        long room = (long) maxPositions() - nextPosition - tokens; // positions left for generated tokens
        if (room < 1) {
            throw new ContextFullException("the question's " + tokens + " tokens do not fit the "
                    + (maxPositions() - nextPosition) + " positions left of the model's " + maxPositions()
                    + " (max_position_embeddings)");
        }
        if (options.maxNewTokens() > room) {
            options = new GenerationOptions((int) room, options.sampling(), options.extraStopIds(),
                    options.decoding());
        }
        ForwardResult result = decoder.prefill(rows, tokens, range(nextPosition, tokens), fork,
                model.options().prefillChunk(), PromptPart.QUESTION, stats -> { });
        return generation(fork, ids, ids, result, tokens, nextPosition + tokens, contextTokens, start, options,
                listener);
    }

    /**
     * ZipVL with question-aware probes (the paper's setting): the prompt header, {@code embeddings}' frames, the
     * video's newline row and the question are prefilled as one block, so the probe rows that rank every video token
     * are the prompt's last rows, the question's. Nothing is shared: this session must hold no tokens and is left
     * unchanged (the answer runs on a fork). Without ZipVL it equals {@link #appendFrames} then {@link #start}.
     */
    public Generation startWholePrompt(FrameEmbeddings embeddings, String question, GenerationOptions options,
                                       TokenListener listener) {
        long start = System.nanoTime();
        if (nextPosition != 0) {
            throw new IllegalStateException("a whole prompt is prefilled on an empty session, this one holds "
                    + nextPosition + " tokens");
        }
        int hidden = model.config().text().hiddenSize();
        if (embeddings.hidden() != hidden) {
            throw new IllegalArgumentException("frame embeddings of width " + embeddings.hidden()
                    + " do not fit a model of width " + hidden);
        }
        DecoderRunner decoder = model.decoder();
        int[] header = model.prompts().videoHeader();
        int[] tail = model.prompts().questionTail(question);
        float[] rows = concat(concat(decoder.embed(header), embeddings.rows()),
                concat(model.newline(), decoder.embed(tail)));
        int tokens = rows.length / hidden;
        int videoEnd = header.length + embeddings.tokens();
        KvCache fork = cache.fork();
        ForwardResult result = decoder.prefill(rows, tokens, range(0, tokens), fork, tokens, PromptPart.CONTEXT,
                stats -> zipvlStats = Optional.of(zipvlStats.map(stats::plus).orElse(stats)), () -> { },
                new VideoSpan(header.length, videoEnd));
        int[] promptIds = new int[header.length + tail.length];
        System.arraycopy(header, 0, promptIds, 0, header.length);
        System.arraycopy(tail, 0, promptIds, header.length, tail.length);
        return generation(fork, tail, promptIds, result, tokens, tokens, 0, start, options, listener);
    }

    /** {@link #startWholePrompt} stepped to the end. */
    public Answer askWholePrompt(FrameEmbeddings embeddings, String question, GenerationOptions options,
                                 TokenListener listener) {
        Generation g = startWholePrompt(embeddings, question, options, listener);
        while (!g.finished()) {
            g.step();
        }
        return g.answer();
    }

    /**
     * The generation after a question's prefill.
     *
     * @param question  the question's ids (remembered with the answer)
     * @param promptIds the ids prompt lookup sees besides the session's text
     * @param tokens    tokens the prefill held (the answer's prompt tokens)
     * @param position  position of the first generated token
     */
    private Generation generation(KvCache fork, int[] question, int[] promptIds, ForwardResult result, int tokens,
                                  int position, int contextTokens, long start, GenerationOptions options,
                                  TokenListener listener) {
        DecoderRunner decoder = model.decoder();
        NgramIndex history = new NgramIndex(options.decoding().drafter() instanceof DrafterSpec.PromptLookup p
                ? p.maxNgram() : NgramIndex.MAX_N);
        history.addAll(text.stream().mapToInt(Integer::intValue).toArray());
        history.addAll(promptIds);
        Set<Integer> stops = new HashSet<>(model.config().eosTokenIds());
        stops.addAll(options.extraStopIds());
        Speculator speculator = Speculator.create(decoder, model::maskUngeneratable, new Sampler(options.sampling()),
                options.decoding(), selfDraftTuning(options.decoding().drafter()), model.draftHead());
        int h = model.config().text().hiddenSize();
        float[] lastHidden = java.util.Arrays.copyOfRange(result.hidden(), (result.tokens() - 1) * h,
                result.tokens() * h);
        Generation.Prompt prompt = new Generation.Prompt(result.row(0), lastHidden, position, tokens, contextTokens,
                start);
        return new Generation(speculator, fork, stops, options, listener, a -> remember(question, a),
                model.tokenizer(), history, prompt);
    }

    /** The stream's layer-skip drafter state, made for the first answer that asks for one. */
    private Optional<SelfDraftTuning> selfDraftTuning(DrafterSpec drafter) {
        SkipSource source = drafter instanceof DrafterSpec.LayerSkip s ? s.skip()
                : drafter instanceof DrafterSpec.Tree t ? t.skip() : null;
        if (source == null) {
            return Optional.empty();
        }
        if (selfDraft == null || !selfDraft.source().equals(source)) {
            selfDraft = SelfDraftTuning.of(source, model.config().text().numHiddenLayers());
        }
        return Optional.of(selfDraft);
    }

    private void remember(int[] question, Answer answer) {
        for (int id : question) {
            text.add(id);
        }
        text.addAll(answer.tokenIds());
    }

    private static int[] range(int from, int count) {
        int[] r = new int[count];
        for (int i = 0; i < count; i++) {
            r[i] = from + i;
        }
        return r;
    }

    static float[] concat(float[] a, float[] b) {
        float[] out = new float[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
