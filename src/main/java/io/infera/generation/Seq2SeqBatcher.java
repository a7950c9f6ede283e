package io.infera.generation;

import io.infera.errors.BackendException;
import io.infera.errors.DeadlineExceededException;
import io.infera.errors.OverloadedException;
import io.infera.errors.ShuttingDownException;
import io.infera.runtime.Tensor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The generation loop of an encoder-decoder model. Requests waiting when the loop is free start
 * together as one wave (up to {@code maxSequences} rows, a beam being a row) and share every
 * decoder step until each finishes; a finished, cancelled or expired request leaves its wave
 * between steps. Requests arriving meanwhile wait for the next wave: optimum's seq2seq decoder
 * takes positions from its cache length and has no decoder attention mask, so sequences at
 * different positions cannot share a step (decoder-only models can: {@link ContinuousBatcher}).
 */
public final class Seq2SeqBatcher implements AutoCloseable {

    private static final class Request {
        /** The source: token ids, or audio features (the other null). */
        final int[] source;

        final Tensor features;
        final long deadlineNanos;
        final CompletableFuture<Generation> result = new CompletableFuture<>();
        Seq2SeqSettings settings;
        Seq2SeqSearch search;
        List<KvCache> caches;
        Seq2SeqLm.Cross cross;
        int generated;

        Request(int[] source, Tensor features, Seq2SeqSettings settings, long deadlineNanos) {
            this.source = source == null ? null : source.clone();
            this.features = features;
            this.settings = settings;
            this.search = Seq2SeqSearch.of(settings);
            this.deadlineNanos = deadlineNanos;
        }

        int promptLength() {
            return settings.decoderPrompt().length;
        }
    }

    /**
     * What one request generated: its sequences, best first, and the prompt the decoder started
     * from (with the token the model chose where the prompt left one open: Whisper's language).
     */
    public record Generation(List<int[]> sequences, int[] prompt) {}

    private final String name;
    private final Seq2SeqLm model;
    private final GenerationLimits limits;
    private final GenerationObserver observer;
    private final LinkedBlockingQueue<Request> waiting;
    private final LoopThread loop;
    private volatile List<Request> wave = List.of();

    public Seq2SeqBatcher(String name, Seq2SeqLm model, GenerationLimits limits, GenerationObserver observer) {
        this.name = name;
        this.model = model;
        this.limits = limits;
        this.observer = observer;
        this.waiting = new LinkedBlockingQueue<>(Math.max(1, limits.maxQueued()));
        this.loop = new LoopThread("infera-seq2seq-" + name, this::run);
    }

    /** Starts the loop; requests submitted before wait for it (tests queue several to see them share steps). */
    public Seq2SeqBatcher start() {
        loop.start();
        return this;
    }

    /**
     * Queues a source; the future completes with the generated sequences (num_return_sequences of
     * them, best first), and cancelling it stops the work at the next step.
     *
     * @throws OverloadedException   when the waiting queue is full
     * @throws ShuttingDownException when the model is being unloaded
     */
    public CompletableFuture<List<int[]>> submit(int[] source, Seq2SeqSettings settings, long deadlineNanos) {
        return queue(new Request(source, null, settings, deadlineNanos)).thenApply(Generation::sequences);
    }

    /**
     * Queues an audio source (log-mel input_features [mels, frames]); the future completes with
     * the generated sequences and the prompt as the decoder read it.
     *
     * @throws OverloadedException   when the waiting queue is full
     * @throws ShuttingDownException when the model is being unloaded
     */
    public CompletableFuture<Generation> submit(Tensor features, Seq2SeqSettings settings, long deadlineNanos) {
        return queue(new Request(null, features, settings, deadlineNanos));
    }

    private CompletableFuture<Generation> queue(Request request) {
        if (loop.closing()) {
            throw new ShuttingDownException("model '" + name + "' is shutting down");
        }
        if (!waiting.offer(request)) {
            throw new OverloadedException(
                    "model '" + name + "' has " + waiting.size() + " generations waiting (limit " + limits.maxQueued()
                            + ")",
                    1);
        }
        return request.result;
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

    private void run() {
        try {
            while (!loop.aborted() && (!loop.closing() || !waiting.isEmpty())) {
                Request first = waiting.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                wave = new ArrayList<>(List.of(first));
                int rows = first.search.rows();
                while (model.sharesWaves()
                        && waiting.peek() != null
                        && waiting.peek().promptLength() == first.promptLength()
                        && rows + waiting.peek().search.rows() <= limits.maxSequences()) {
                    Request next = waiting.poll();
                    rows += next.search.rows();
                    wave.add(next);
                }
                try {
                    runWave(wave);
                } catch (RuntimeException e) {
                    BackendException failure =
                            e instanceof BackendException b ? b : new BackendException("generation failed: " + e, e);
                    wave.forEach(r -> r.result.completeExceptionally(failure));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            ShuttingDownException stopped = new ShuttingDownException("model '" + name + "' was unloaded");
            wave.forEach(r -> r.result.completeExceptionally(stopped)); // no-op for those already answered
            for (Request r; (r = waiting.poll()) != null; ) {
                r.result.completeExceptionally(stopped);
            }
        }
    }

    private void runWave(List<Request> wave) {
        List<Seq2SeqLm.Source> encodedAll = encode(wave);
        List<Seq2SeqLm.Source> sources = new ArrayList<>();
        List<int[]> prompts = new ArrayList<>();
        for (int i = 0; i < wave.size(); i++) {
            Request r = wave.get(i);
            Seq2SeqLm.Source encoded = encodedAll.get(i);
            if (r.settings.choicePosition() >= 0) {
                choosePrompt(r, encoded);
            }
            for (int row = 0; row < r.search.rows(); row++) {
                sources.add(encoded);
                prompts.add(r.settings.decoderPrompt());
            }
        }
        long start = System.nanoTime();
        Seq2SeqLm.Step step = model.first(sources, prompts);
        observer.step(sources.size(), System.nanoTime() - start);
        List<Request> active = distribute(wave, step, true);
        while (!active.isEmpty() && !loop.aborted()) {
            active.removeIf(this::abandoned);
            if (active.isEmpty()) {
                return;
            }
            List<Integer> tokens = new ArrayList<>();
            List<KvCache> caches = new ArrayList<>();
            List<Seq2SeqLm.Cross> cross = new ArrayList<>();
            for (Request r : active) {
                int[] next = r.search.nextTokens();
                int[] parents = r.search.parents();
                for (int row = 0; row < next.length; row++) {
                    tokens.add(next[row]);
                    caches.add(r.caches.get(parents[row]));
                    cross.add(r.cross);
                }
            }
            start = System.nanoTime();
            step = model.next(tokens.stream().mapToInt(Integer::intValue).toArray(), caches, cross);
            observer.step(tokens.size(), System.nanoTime() - start);
            active = distribute(active, step, false);
        }
    }

    /**
     * The wave's sources, in its order: token sources one by one, audio sources of one shape
     * together in one encoder run (the clips and chunks of a wave are rows of one encoder batch).
     */
    private List<Seq2SeqLm.Source> encode(List<Request> wave) {
        Seq2SeqLm.Source[] sources = new Seq2SeqLm.Source[wave.size()];
        java.util.Map<java.util.List<Long>, List<Integer>> audioByShape = new java.util.LinkedHashMap<>();
        for (int i = 0; i < wave.size(); i++) {
            Request r = wave.get(i);
            if (r.features == null) {
                sources[i] = model.encode(r.source);
            } else {
                List<Long> shape =
                        java.util.Arrays.stream(r.features.shape()).boxed().toList();
                audioByShape.computeIfAbsent(shape, k -> new ArrayList<>()).add(i);
            }
        }
        for (List<Integer> rows : audioByShape.values()) {
            List<Seq2SeqLm.Source> encoded =
                    model.encode(rows.stream().map(i -> wave.get(i).features).toList());
            for (int k = 0; k < rows.size(); k++) {
                sources[rows.get(k)] = encoded.get(k);
            }
        }
        return java.util.Arrays.asList(sources);
    }

    /** Hands each request its rows of the step; returns those still going. */
    private List<Request> distribute(List<Request> requests, Seq2SeqLm.Step step, boolean first) {
        List<Request> going = new ArrayList<>();
        int offset = 0;
        for (Request r : requests) {
            int rows = r.search.rows();
            r.caches = step.selfCaches().subList(offset, offset + rows);
            if (first) {
                r.cross = step.cross().get(offset);
            }
            float[][] logits = java.util.Arrays.copyOfRange(step.logits(), offset, offset + rows);
            offset += rows;
            if (r.search.advance(logits, r.generated++)) {
                r.result.complete(new Generation(r.search.results(), r.settings.decoderPrompt()));
            } else {
                going.add(r);
            }
        }
        return going;
    }

    /**
     * Fills the prompt's open position as Whisper's language detection does: one decoder pass over
     * the token before it (the start of transcript, read as the first token: a text prompt before
     * it is not part of the detection), and the most likely of the allowed tokens.
     */
    private void choosePrompt(Request r, Seq2SeqLm.Source source) {
        int[] prompt = r.settings.decoderPrompt();
        int at = r.settings.choicePosition();
        float[] logits = model.first(List.of(source), List.of(new int[] {prompt[at - 1]}))
                .logits()[0];
        int best = -1;
        for (int token : r.settings.promptChoices()) {
            if (token < logits.length && (best < 0 || logits[token] > logits[best])) {
                best = token;
            }
        }
        if (best < 0) {
            throw new IllegalStateException("no token to choose from for the decoder prompt");
        }
        prompt[at] = best;
        r.settings = r.settings.withPrompt(prompt);
        r.search = Seq2SeqSearch.of(r.settings);
    }

    /** Cancelled (the client went away) or past its deadline: leaves before the next step. */
    private boolean abandoned(Request r) {
        if (r.result.isDone()) {
            return true;
        }
        if (System.nanoTime() - r.deadlineNanos > 0) {
            r.result.completeExceptionally(
                    new DeadlineExceededException("generation passed its deadline after " + r.generated + " tokens"));
            return true;
        }
        return false;
    }

    /** Stops taking requests and lets queued and running ones finish for at most {@code grace}. */
    public void close(Duration grace) {
        loop.close(grace);
    }

    @Override
    public void close() {
        close(Duration.ZERO);
    }
}
