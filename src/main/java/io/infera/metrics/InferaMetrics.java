package io.infera.metrics;

import io.infera.batching.BatchObserver;
import io.infera.batching.DynamicBatcher;
import io.infera.generation.GenerationObserver;
import io.infera.registry.ModelObservers;
import io.infera.registry.ModelRepository;
import io.infera.registry.ModelState;
import io.infera.registry.ServedModel;
import io.infera.tasks.AnswerSummary;
import io.infera.tasks.PipelineObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Infera's Prometheus meters (docs/monitoring.md lists them). Durations are real histograms (Prometheus buckets,
 * aggregatable across replicas), tagged by model and task; the stage breakdown of a request is
 * {@code infera_stage_duration_seconds{stage=preprocess|queue|inference|postprocess|serialize}}.
 */
@ApplicationScoped
public class InferaMetrics implements ModelObservers {

    private static final Duration MIN = Duration.ofNanos(50_000);
    private static final Duration MAX = Duration.ofSeconds(60);

    private final MeterRegistry registry;
    /**
     * What the per-model gauges read, kept across reloads: Micrometer registers a gauge once per
     * name and tags, so a reloaded model must update the object the first registration reads.
     */
    private final java.util.Map<String, java.util.Map<String, DynamicBatcher>> batchers = new ConcurrentHashMap<>();

    /** Weights held per model and version, read by the weights gauge. */
    private final java.util.Map<String, AtomicLong> weights = new ConcurrentHashMap<>();

    private final java.util.Map<String, AtomicInteger[]> generationCounts = new ConcurrentHashMap<>();

    private final AtomicInteger inFlight = new AtomicInteger();

    InferaMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("infera_requests_in_flight", inFlight, AtomicInteger::get)
                .description("Requests received and not answered yet, on every route")
                .register(registry);
    }

    /** A request arrived (+1) or was answered (-1). */
    public void inFlight(int delta) {
        inFlight.addAndGet(delta);
    }

    /** The count of a model's live streams, read by the {@code infera_audio_streams_active} gauge. */
    public AtomicInteger activeStreams(String model) {
        AtomicInteger count = new AtomicInteger();
        Gauge.builder("infera_audio_streams_active", count, AtomicInteger::get)
                .description("Live recognition streams open (/v1/audio/stream)")
                .tags("model", model)
                .register(registry);
        return count;
    }

    /**
     * One decode of a live stream's utterance: its real-time factor (decode time over the
     * seconds of audio decoded; below 1 is faster than the audio arrives).
     */
    public void streamDecoded(String model, long nanos, double audioSeconds) {
        DistributionSummary.builder("infera_audio_stream_real_time_factor")
                .description("Decode time over audio time, per decode of a live stream's utterance")
                .tags("model", model)
                .publishPercentileHistogram()
                .minimumExpectedValue(0.001)
                .maximumExpectedValue(10.0)
                .register(registry)
                .record(nanos / 1e9 / Math.max(audioSeconds, 1e-3));
    }

    /** The time from an utterance's end (its pause) to its final text sent. */
    public void streamFinal(String model, long nanos) {
        timer(
                        "infera_audio_stream_final_latency_seconds",
                        "From an utterance's end to its final text",
                        Tags.of("model", model))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A live stream ended: stop, idle, limit, invalid, busy (refused), error. */
    public void streamClosed(String model, String reason) {
        Counter.builder("infera_audio_streams_closed")
                .description("Live recognition streams ended, by why")
                .tags("model", model, "reason", reason)
                .register(registry)
                .increment();
    }

    /** One finished request on the task route, counted by outcome, timed end to end when it succeeded or failed late. */
    public void request(String model, String task, String outcome, long nanos) {
        Counter.builder("infera_requests")
                .description("Requests by outcome")
                .tags("model", model, "task", task, "outcome", outcome)
                .register(registry)
                .increment();
        timer("infera_request_duration_seconds", "End-to-end request time", Tags.of("model", model, "task", task))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * One finished request by the version that answered it ({@code infera_version_requests_total},
     * {@code infera_version_request_duration_seconds}): the versions of one model side by side.
     */
    public void versionRequest(String model, String version, String outcome, long nanos) {
        Counter.builder("infera_version_requests")
                .description("Requests by the version that answered, and outcome")
                .tags("model", model, "version", version, "outcome", outcome)
                .register(registry)
                .increment();
        timer(
                        "infera_version_request_duration_seconds",
                        "End-to-end request time by the version that answered",
                        Tags.of("model", model, "version", version))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A request routed to a version: by a pin, the split, by default (no split), or as a shadow copy. */
    public void routed(String model, String version, String how) {
        Counter.builder("infera_routed_requests")
                .description("Requests routed to a version: pin, split, default or shadow")
                .tags("model", model, "version", version, "route", how)
                .register(registry)
                .increment();
    }

    /** A shadow copy's fate: answered, dropped (the shadow lane was full) or failed. */
    public void shadowCopy(String model, String version, String outcome) {
        Counter.builder("infera_shadow_copies")
                .description("Shadow copies of requests by outcome: answered, dropped, failed")
                .tags("model", model, "version", version, "outcome", outcome)
                .register(registry)
                .increment();
    }

    /**
     * One item answered by both the primary and the shadow version: whether they agree (same top
     * label, text or vector) and how far apart their top scores are.
     *
     * @param scoreDifference NaN where the answers carry no score
     */
    public void shadowCompared(String model, String version, boolean agree, double scoreDifference) {
        Counter.builder("infera_shadow_comparisons")
                .description("Items answered by primary and shadow: agree or disagree")
                .tags("model", model, "version", version, "result", agree ? "agree" : "disagree")
                .register(registry)
                .increment();
        if (!Double.isNaN(scoreDifference)) {
            DistributionSummary.builder("infera_shadow_score_difference")
                    .description("|primary top score - shadow top score| per item")
                    .tags("model", model, "version", version)
                    .serviceLevelObjectives(0.001, 0.01, 0.05, 0.1, 0.2, 0.5, 1)
                    .register(registry)
                    .record(scoreDifference);
        }
    }

    public void serialized(String model, String task, long nanos) {
        stage(model, task, "serialize").record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public PipelineObserver pipeline(String model, String version, String task) {
        Timer preprocess = stage(model, task, "preprocess");
        Timer postprocess = stage(model, task, "postprocess");
        Predictions predictions = new Predictions(registry, model, version, task);
        Inputs inputs = new Inputs(registry, model, version);
        return new PipelineObserver() {
            @Override
            public void preprocessed(long nanos) {
                preprocess.record(nanos, TimeUnit.NANOSECONDS);
            }

            @Override
            public void postprocessed(long nanos) {
                postprocess.record(nanos, TimeUnit.NANOSECONDS);
            }

            @Override
            public boolean watchesAnswers() {
                return true;
            }

            @Override
            public void answered(AnswerSummary answer) {
                predictions.record(answer);
            }

            @Override
            public boolean watchesInputs() {
                return true;
            }

            @Override
            public void text(int tokens, int unknownTokens, boolean truncated) {
                inputs.text(tokens, unknownTokens, truncated);
            }

            @Override
            public void image(int width, int height, double brightness) {
                inputs.image(width, height, brightness);
            }

            @Override
            public void audio(double seconds) {
                inputs.audio(seconds);
            }
        };
    }

    @Override
    public BatchObserver batcher(String model, String task) {
        Tags tags = Tags.of("model", model, "task", task);
        Timer queue = timer("infera_queue_duration_seconds", "Time a row waits in the batcher's queue", tags);
        Timer queueStage = stage(model, task, "queue");
        Timer inference = timer("infera_inference_duration_seconds", "One backend call", tags);
        Timer inferenceStage = stage(model, task, "inference");
        DistributionSummary batchSize = DistributionSummary.builder("infera_batch_size")
                .description("Rows per backend call")
                .tags(tags)
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128)
                .register(registry);
        Counter realTokens = Counter.builder("infera_batch_tokens")
                .description("Row lengths run, real or padded")
                .tags(tags.and("kind", "real"))
                .register(registry);
        Counter paddedTokens = Counter.builder("infera_batch_tokens")
                .description("Row lengths run, real or padded")
                .tags(tags.and("kind", "padded"))
                .register(registry);
        Counter expired = Counter.builder("infera_rows_expired")
                .description("Rows dropped unrun: deadline passed or client gone")
                .tags(tags)
                .register(registry);
        Counter rejected = Counter.builder("infera_rows_rejected")
                .description("Rows refused: queue full")
                .tags(tags)
                .register(registry);
        return new BatchObserver() {
            @Override
            public void dequeued(long queueNanos) {
                queue.record(queueNanos, TimeUnit.NANOSECONDS);
                queueStage.record(queueNanos, TimeUnit.NANOSECONDS);
            }

            @Override
            public void batch(int rows, long real, long padded, long inferenceNanos) {
                inference.record(inferenceNanos, TimeUnit.NANOSECONDS);
                inferenceStage.record(inferenceNanos, TimeUnit.NANOSECONDS);
                batchSize.record(rows);
                realTokens.increment(real);
                paddedTokens.increment(padded);
            }

            @Override
            public void expired(int rows) {
                expired.increment(rows);
            }

            @Override
            public void rejected(int rows) {
                rejected.increment(rows);
            }
        };
    }

    @Override
    public GenerationObserver generation(String model) {
        Tags tags = Tags.of("model", model);
        Timer firstToken =
                timer("infera_time_to_first_token_seconds", "From submission to a sequence's first token", tags);
        Timer interToken = timer("infera_inter_token_latency_seconds", "Between a sequence's successive tokens", tags);
        Timer step = timer("infera_generation_step_duration_seconds", "One generation step (prompt or decode)", tags);
        Counter tokens = Counter.builder("infera_generated_tokens")
                .description("Tokens generated (rate: tokens per second)")
                .tags(tags)
                .register(registry);
        DistributionSummary sequences = DistributionSummary.builder("infera_generation_batch_size")
                .description("Sequences per generation step")
                .tags(tags)
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64)
                .register(registry);
        AtomicInteger[] counts = generationCounts.computeIfAbsent(model, m -> {
            AtomicInteger[] fresh = {new AtomicInteger(), new AtomicInteger()};
            Gauge.builder("infera_generation_sequences", fresh[0], AtomicInteger::get)
                    .description("Sequences being generated")
                    .tags(tags.and("state", "running"))
                    .register(registry);
            Gauge.builder("infera_generation_sequences", fresh[1], AtomicInteger::get)
                    .description("Sequences being generated")
                    .tags(tags.and("state", "waiting"))
                    .register(registry);
            return fresh;
        });
        AtomicInteger running = counts[0];
        AtomicInteger waiting = counts[1];
        return new GenerationObserver() {
            @Override
            public void firstToken(long nanos) {
                firstToken.record(nanos, TimeUnit.NANOSECONDS);
            }

            @Override
            public void interToken(long nanos) {
                interToken.record(nanos, TimeUnit.NANOSECONDS);
            }

            @Override
            public void step(int count, long nanos) {
                step.record(nanos, TimeUnit.NANOSECONDS);
                sequences.record(count);
                tokens.increment(count);
            }

            @Override
            public void occupancy(int nowRunning, int nowWaiting) {
                running.set(nowRunning);
                waiting.set(nowWaiting);
            }
        };
    }

    @Override
    public void started(ServedModel model) {
        batchers.computeIfAbsent(model.name(), name -> {
                    java.util.Map<String, DynamicBatcher> versions = new ConcurrentHashMap<>();
                    Gauge.builder(
                                    "infera_queue_depth",
                                    versions,
                                    v -> v.values().stream()
                                            .mapToInt(DynamicBatcher::queueDepth)
                                            .sum())
                            .description("Rows waiting, all versions together")
                            .tags("model", name)
                            .register(registry);
                    return versions;
                })
                .put(model.version(), model.batcher());
        weights.computeIfAbsent(model.name() + "/" + model.version(), key -> {
                    AtomicLong bytes = new AtomicLong();
                    Gauge.builder("infera_model_weights_bytes", bytes, AtomicLong::get)
                            .description("Bytes of weights a served version's sessions hold")
                            .baseUnit("bytes")
                            .tags("model", model.name(), "version", model.version())
                            .register(registry);
                    return bytes;
                })
                .set(model.weightsBytes());
    }

    /** {@code infera_model_state{model,state}}: 1 for the state a model is in, 0 for the others. */
    public void modelStates(ModelRepository repository) {
        for (var status : repository.statuses()) {
            for (ModelState state : ModelState.values()) {
                Gauge.builder(
                                "infera_model_state",
                                repository,
                                r -> r.status(status.name())
                                        .map(s -> s.state() == state ? 1.0 : 0.0)
                                        .orElse(0.0))
                        .description("1 for the model's current state")
                        .tags("model", status.name(), "state", state.name())
                        .register(registry);
            }
        }
    }

    private Timer stage(String model, String task, String stage) {
        return timer(
                "infera_stage_duration_seconds",
                "Time per stage of a request",
                Tags.of("model", model, "task", task, "stage", stage));
    }

    private Timer timer(String name, String description, Tags tags) {
        return Timer.builder(name.replace("_seconds", ""))
                .description(description)
                .tags(tags)
                .publishPercentileHistogram()
                .minimumExpectedValue(MIN)
                .maximumExpectedValue(MAX)
                .register(registry);
    }
}
