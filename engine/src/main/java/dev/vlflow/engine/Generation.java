package dev.vlflow.engine;

import dev.vlflow.engine.decode.Acceptance;
import dev.vlflow.engine.decode.DecodeStats;
import dev.vlflow.engine.decode.NgramIndex;
import dev.vlflow.engine.decode.Speculator;
import dev.vlflow.engine.runtime.ForwardResult;
import dev.vlflow.engine.text.DecodeStream;
import dev.vlflow.engine.text.TextTokenizer;
import dev.vlflow.kv.KvCache;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One answer being generated (nano-vllm's {@code Sequence}): its cache, pending token, emitted tokens and
 * statistics. {@link #step()} = draft → verify → accept → emit, one step at a time, so a caller may interleave the
 * steps of many answers; {@link VlSession#ask} is the loop over it. The first step emits the token chosen from the
 * prefill's logits; every later step runs one verification pass and emits the accepted candidates and the model's
 * own next token.
 *
 * <p>Not thread-safe: one owner at a time.
 */
public final class Generation {

    /**
     * Where the prompt left off.
     *
     * @param firstLogits   [vocab] logits after the prompt's last token
     * @param lastHidden    [hidden] the prompt's last hidden state (before the final norm), for draft heads
     * @param position      position of the first generated token
     * @param promptTokens  tokens prefilled for the question
     * @param contextTokens tokens in the cache before the question
     * @param startNanos    when the question arrived
     */
    record Prompt(float[] firstLogits, float[] lastHidden, int position, int promptTokens, int contextTokens, long startNanos) {
    }

    private final Speculator speculator;
    private final KvCache cache;
    private final Set<Integer> stops;
    private final GenerationOptions options;
    private final TokenListener listener;
    private final Consumer<Answer> onFinish;
    private final DecodeStream text;
    private final NgramIndex history;
    private final Prompt prompt;
    private final int promptEnd;
    private final List<Integer> ids = new ArrayList<>();
    private DecodeStats stats = DecodeStats.none();
    private int pending;
    private int position;
    private boolean started; // the first token has been chosen
    private long firstTokenAt;
    private Optional<Answer> answer = Optional.empty();
    private Speculator.Pass inFlight; // prepared, not completed

    Generation(Speculator speculator, KvCache cache, Set<Integer> stops, GenerationOptions options,
               TokenListener listener, Consumer<Answer> onFinish, TextTokenizer tokenizer, NgramIndex history,
               Prompt prompt) {
        this.speculator = speculator;
        this.cache = cache;
        this.stops = Set.copyOf(stops);
        this.options = options;
        this.listener = listener;
        this.onFinish = onFinish;
        this.text = new DecodeStream(tokenizer);
        this.history = history;
        this.prompt = prompt;
        this.promptEnd = cache.size(0);
        this.position = prompt.position();
    }

    public boolean finished() {
        return answer.isPresent();
    }

    /** The answer, once {@link #finished()}. */
    public Answer answer() {
        return answer.orElseThrow(() -> new IllegalStateException("the answer is not finished"));
    }

    /** Statistics so far. */
    public DecodeStats stats() {
        return stats;
    }

    /** Tokens emitted so far. */
    public List<Integer> tokens() {
        return List.copyOf(ids);
    }

    /** How many tokens were emitted so far (without copying them). */
    public int tokenCount() {
        return ids.size();
    }

    /** One step: draft → verify → accept → emit. Returns what was accepted (before stop rules cut it). */
    public Acceptance step() {
        Optional<Speculator.Pass> pass = prepare();
        if (pass.isEmpty()) {
            return first();
        }
        Speculator.Pass p = pass.get();
        return complete(p, p.decoder().decode(List.of(p.block()), p.plan()).get(0));
    }

    /**
     * The first half of a step, for callers that batch the passes of many answers ({@link DecodeBatch}): drafts and
     * returns the verification pass to run, or empty when the step needs none (the first token comes from the
     * prefill's logits; {@link #first()} takes it). Then {@link #complete} with the pass's result.
     */
    public Optional<Speculator.Pass> prepare() {
        if (finished()) {
            throw new IllegalStateException("the answer is finished");
        }
        if (inFlight != null) {
            throw new IllegalStateException("a step is already prepared");
        }
        if (!started) {
            return Optional.empty();
        }
        int budget = options.maxNewTokens() - ids.size() - 1;
        inFlight = speculator.prepare(pending, position, cache, history, budget);
        return Optional.of(inFlight);
    }

    /** The first step: the token chosen from the prefill's logits. */
    public Acceptance first() {
        if (started || finished()) {
            throw new IllegalStateException("the first token has been chosen");
        }
        Acceptance a = speculator.first(prompt.firstLogits(), prompt.lastHidden());
        firstTokenAt = System.nanoTime();
        started = true;
        emit(a.emitted());
        return a;
    }

    /** The second half of a prepared step: accepts from the pass's result and emits. */
    public Acceptance complete(Speculator.Pass pass, ForwardResult result) {
        if (pass != inFlight) {
            throw new IllegalStateException("not the pass this generation prepared");
        }
        inFlight = null;
        Acceptance a = speculator.complete(pass, result);
        stats = stats.plus(a);
        position += 1 + a.acceptedCount();
        emit(a.emitted());
        return a;
    }

    /** Whether the next step needs a model pass (false before the first token). */
    public boolean started() {
        return started;
    }

    /**
     * Ends the answer now with {@code reason} (a deadline or a budget of the caller's), keeping the tokens emitted so
     * far.
     */
    public void cut(Answer.StopReason reason) {
        if (finished()) {
            throw new IllegalStateException("the answer is finished");
        }
        inFlight = null;
        finish(reason);
    }

    private void emit(int[] tokens) {
        for (int id : tokens) {
            if (stops.contains(id)) {
                finish(Answer.StopReason.STOP_TOKEN);
                return;
            }
            ids.add(id);
            history.add(id);
            listener.onToken(ids.size() - 1, id, text.add(id));
            if (ids.size() == options.maxNewTokens()) {
                finish(Answer.StopReason.MAX_TOKENS);
                return;
            }
            pending = id;
        }
    }

    private void finish(Answer.StopReason reason) {
        long end = System.nanoTime();
        Answer a = new Answer(text.text(), ids, reason, prompt.promptTokens(), prompt.contextTokens(),
                firstTokenAt - prompt.startNanos(), end - prompt.startNanos(), cache.bytes(), options.decoding(),
                stats);
        answer = Optional.of(a);
        onFinish.accept(a);
        speculator.finish(cache, promptEnd, prompt.position(), ids.stream().mapToInt(Integer::intValue).toArray());
    }
}
