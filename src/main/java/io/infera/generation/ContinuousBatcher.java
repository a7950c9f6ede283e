package io.infera.generation;

import io.infera.batching.BatchingMode;
import io.infera.errors.BackendException;
import io.infera.errors.DeadlineExceededException;
import io.infera.errors.OverloadedException;
import io.infera.errors.ShuttingDownException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

/**
 * Iteration-level scheduling of generation (continuous batching): one thread owns the model and
 * loops; between any two steps waiting sequences join (their prompts run first, together when of
 * equal length, within the step token budget) and finished, cancelled or expired ones leave; each
 * decode step runs every running sequence's newest token together. A request never waits for
 * another to finish, and a step never re-runs a prompt: each sequence carries its cache. Where the
 * graph would read padded rows wrongly ({@link CausalLm.StepSharing}), only sequences at the same
 * position share a step, or none do.
 */
public final class ContinuousBatcher implements AutoCloseable {

    private final String name;
    private final CausalLm model;
    private final GenerationLimits limits;
    private final GenerationObserver observer;
    private final LinkedBlockingQueue<Sequence> waiting;
    private final List<Sequence> running = new ArrayList<>();
    private final LoopThread loop;

    public ContinuousBatcher(String name, CausalLm model, GenerationLimits limits, GenerationObserver observer) {
        this.name = name;
        this.model = model;
        this.limits = limits;
        this.observer = observer;
        this.waiting = new LinkedBlockingQueue<>(Math.max(1, limits.maxQueued()));
        this.loop = new LoopThread("infera-generate-" + name, this::run);
        loop.start();
    }

    /**
     * Queues a prompt; the future completes when the sequence is finished, and cancelling it stops
     * the work at the next step.
     *
     * @throws OverloadedException   when the waiting queue is full
     * @throws ShuttingDownException when the model is being unloaded
     */
    public CompletableFuture<Generated> submit(
            int[] prompt, GenerationSettings settings, TokenListener listener, long deadlineNanos) {
        if (loop.closing()) {
            throw new ShuttingDownException("model '" + name + "' is shutting down");
        }
        Sequence sequence = new Sequence(prompt, settings, listener, deadlineNanos, model.layers());
        if (!waiting.offer(sequence)) {
            throw new OverloadedException(
                    "model '" + name + "' has " + waiting.size() + " generations waiting (limit " + limits.maxQueued()
                            + ")",
                    1);
        }
        return sequence.result;
    }

    /**
     * Refuses a request at once when the waiting queue is full, before its prompt is tokenized;
     * a request let through may still be refused by submit.
     *
     * @throws OverloadedException when no generation fits in the queue now
     */
    public void admit() {
        if (waiting.remainingCapacity() == 0) {
            throw new OverloadedException(
                    "model '" + name + "' has " + waiting.size() + " generations waiting (limit " + limits.maxQueued()
                            + ")",
                    1);
        }
    }

    /** How the model's sequences share steps, and why. */
    public BatchingMode batching() {
        return model.batching();
    }

    private void run() {
        try {
            loop();
        } finally {
            // unloaded before everything finished: whatever is left is told so
            ShuttingDownException stopped = new ShuttingDownException("model '" + name + "' was unloaded");
            running.forEach(s -> s.result.completeExceptionally(stopped));
            for (Sequence s; (s = waiting.poll()) != null; ) {
                s.result.completeExceptionally(stopped);
            }
        }
    }

    private void loop() {
        while (!loop.aborted() && (!loop.closing() || !running.isEmpty() || !waiting.isEmpty())) {
            try {
                if (running.isEmpty()) {
                    Sequence next = waiting.poll(100, TimeUnit.MILLISECONDS);
                    if (next == null) {
                        continue;
                    }
                    running.add(next);
                }
                admitWaiting();
                dropAbandoned();
                prefillNewcomers();
                decodeStep();
                observer.occupancy(running.size(), waiting.size());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // a failed step fails the sequences it ran; the loop goes on for the others
                failRunning(e);
            }
        }
    }

    private void admitWaiting() {
        int budget = limits.maxStepTokens();
        for (Sequence s : running) {
            budget -= s.prefilled() ? 0 : s.prompt.length;
        }
        while (running.size() < limits.maxSequences()) {
            Sequence next = waiting.peek();
            if (next == null || (next.prompt.length > budget && budget < limits.maxStepTokens())) {
                return;
            }
            budget -= next.prompt.length;
            running.add(waiting.poll());
        }
    }

    /** Sequences whose client went away (future cancelled) or whose deadline passed leave before the step. */
    private void dropAbandoned() {
        long now = System.nanoTime();
        for (Iterator<Sequence> it = running.iterator(); it.hasNext(); ) {
            Sequence s = it.next();
            if (s.result.isDone()) {
                it.remove();
            } else if (now - s.deadlineNanos > 0) {
                s.result.completeExceptionally(new DeadlineExceededException(
                        "generation passed its deadline after " + s.generatedCount() + " tokens"));
                it.remove();
            }
        }
    }

    /** Prompts of equal length run together (where the model lets rows share a step); each gets its first token. */
    private void prefillNewcomers() {
        List<Sequence> newcomers = running.stream().filter(s -> !s.prefilled()).toList();
        for (List<Sequence> group : groups(newcomers, s -> s.prompt.length)) {
            runStep(group);
        }
    }

    /** Every prefilled sequence's newest token: one step, or one per position or per sequence where the model needs it. */
    private void decodeStep() {
        List<Sequence> decoding = running.stream().filter(Sequence::prefilled).toList();
        if (model.sharing() == CausalLm.StepSharing.ANY) {
            if (!decoding.isEmpty()) {
                runStep(decoding);
            }
            return;
        }
        for (List<Sequence> group : groups(decoding, s -> s.cache().length())) {
            runStep(group);
        }
    }

    /** Sequences with the same key share a step, unless the model lets no rows share one. */
    private List<List<Sequence>> groups(List<Sequence> sequences, ToIntFunction<Sequence> key) {
        if (model.sharing() == CausalLm.StepSharing.NONE) {
            return sequences.stream().map(List::of).toList();
        }
        Map<Integer, List<Sequence>> byKey = new LinkedHashMap<>();
        for (Sequence s : sequences) {
            byKey.computeIfAbsent(key.applyAsInt(s), k -> new ArrayList<>()).add(s);
        }
        return List.copyOf(byKey.values());
    }

    private void runStep(List<Sequence> sequences) {
        long start = System.nanoTime();
        List<CausalLm.Output> outputs;
        try {
            outputs = model.step(
                    sequences.stream().map(Sequence::nextInput).toList(),
                    sequences.stream().map(Sequence::cache).toList());
        } catch (RuntimeException e) {
            BackendException failure =
                    e instanceof BackendException b ? b : new BackendException("generation step failed: " + e, e);
            sequences.forEach(s -> s.result.completeExceptionally(failure));
            running.removeAll(sequences);
            return;
        }
        observer.step(sequences.size(), System.nanoTime() - start);
        for (int i = 0; i < sequences.size(); i++) {
            Sequence s = sequences.get(i);
            FinishReason finished = s.advance(outputs.get(i));
            long interval = s.tokenInterval();
            if (interval < 0) {
                observer.firstToken(System.nanoTime() - s.submittedNanos);
            } else {
                observer.interToken(interval);
            }
            if (finished != null) {
                s.finish(finished);
                running.remove(s);
            }
        }
    }

    private void failRunning(RuntimeException e) {
        BackendException failure = new BackendException("generation failed: " + e, e);
        running.forEach(s -> s.result.completeExceptionally(failure));
        running.clear();
    }

    /** Stops taking sequences and lets the running and waiting ones finish for at most {@code grace}. */
    public void close(Duration grace) {
        loop.close(grace);
    }

    @Override
    public void close() {
        close(Duration.ZERO);
    }
}
