package io.infera.generation;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;

/** One request's sequence while it is generated: its tokens, cache, sampler and the future it completes. */
final class Sequence {

    final int[] prompt;
    final GenerationSettings settings;
    final TokenListener listener;
    final CompletableFuture<Generated> result = new CompletableFuture<>();
    final long submittedNanos = System.nanoTime();
    final long deadlineNanos;
    private final RandomGenerator random;
    private int[] generated = new int[0];
    private KvCache cache;
    private int pending; // the token to feed next step; -1 before the prompt ran
    private long firstTokenNanos;
    private long lastTokenAt;

    Sequence(int[] prompt, GenerationSettings settings, TokenListener listener, long deadlineNanos, int layers) {
        this.prompt = prompt.clone();
        this.settings = settings;
        this.listener = listener;
        this.deadlineNanos = deadlineNanos;
        this.random = settings.seed().isPresent()
                ? new SplittableRandom(settings.seed().getAsLong())
                : new SplittableRandom();
        this.cache = KvCache.empty(layers);
        this.pending = -1;
    }

    boolean prefilled() {
        return pending >= 0;
    }

    /** What this sequence feeds the next step: its prompt first, then its newest token. */
    int[] nextInput() {
        return prefilled() ? new int[] {pending} : prompt;
    }

    KvCache cache() {
        return cache;
    }

    /**
     * Takes the step's output: chooses the next token and says whether the sequence is finished.
     *
     * @return the reason it finished, or null when it goes on
     */
    FinishReason advance(CausalLm.Output output) {
        cache = output.cache();
        int[] context = new int[prompt.length + generated.length];
        System.arraycopy(prompt, 0, context, 0, prompt.length);
        System.arraycopy(generated, 0, context, prompt.length, generated.length);
        int token = TokenChooser.choose(output.logits(), context, prompt.length, settings, random);
        if (firstTokenNanos == 0) {
            firstTokenNanos = System.nanoTime() - submittedNanos;
        }
        // an end token belongs to the sequence, as in generate's output: a special one decodes to nothing,
        // an ordinary one (a model whose eos_token_id is a word) is part of the text
        generated = Arrays.copyOf(generated, generated.length + 1);
        generated[generated.length - 1] = token;
        pending = token;
        if (listener.onToken(generated.clone()) || settings.isEos(token)) {
            return FinishReason.STOP;
        }
        return generated.length >= settings.maxNewTokens() ? FinishReason.LENGTH : null;
    }

    void finish(FinishReason reason) {
        result.complete(new Generated(generated.clone(), prompt.length, reason, firstTokenNanos));
    }

    /** Records that a token came now; returns the time since the previous one, or -1 for the first. */
    long tokenInterval() {
        long now = System.nanoTime();
        long since = lastTokenAt == 0 ? -1 : now - lastTokenAt;
        lastTokenAt = now;
        return since;
    }

    int generatedCount() {
        return generated.length;
    }
}
