package io.infera.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.batching.Row;
import io.infera.config.InferaConfig;
import io.infera.errors.Failures;
import io.infera.errors.ShuttingDownException;
import io.infera.registry.ModelRepository;
import io.infera.registry.ModelStatus;
import io.infera.registry.ServedModel;
import io.infera.runtime.Tensor;
import io.infera.server.RequestWorkers;
import io.infera.tasks.Pipeline;
import io.infera.tasks.TaskInput;
import io.infera.tasks.TaskType;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * The way of every inference request, whichever route family it came by (the task endpoint, the
 * Open Inference Protocol, the OpenAI routes). The named model (and version, if one is named) is
 * resolved and asked to admit the request, so that a full queue refuses before anything is decoded;
 * the route's work then runs on a request worker with the request's time budget; a client that goes
 * away cancels the model work the route marks; a model replaced by a reload while the request was on
 * its way refuses it unrun and it is sent once more, to the new model; and the request is counted
 * and timed with its model, task and outcome however it ends. Routes only read their wire shape and
 * write their answer.
 */
@ApplicationScoped
public class RequestPath {

    /** What a route does once its request is admitted: runs on a request worker. */
    @FunctionalInterface
    public interface Work<T> {
        CompletableFuture<T> run(Admitted request);
    }

    /**
     * An admitted request: the model serving it, its time budget (the {@code X-Timeout-Ms} header or
     * the server's default; null for none) and the deadline that budget sets from the request's arrival.
     */
    public static final class Admitted {

        private final ServedModel model;
        private final Duration timeout;
        private final long deadlineNanos;
        private final ClientConnection client;
        private final ServedModel shadow;
        private final ShadowCopies shadows;

        private Admitted(
                ServedModel model,
                Duration timeout,
                long deadlineNanos,
                ClientConnection client,
                ServedModel shadow,
                ShadowCopies shadows) {
            this.model = model;
            this.timeout = timeout;
            this.deadlineNanos = deadlineNanos;
            this.client = client;
            this.shadow = shadow;
            this.shadows = shadows;
        }

        /**
         * Runs items on the model's pipeline with the request's time budget, cancelled when the
         * client goes away. When the request was drawn for a shadow copy, the copy is queued once
         * this answer is complete, and the two answers are compared.
         */
        public CompletableFuture<List<Object>> predict(Pipeline pipeline, List<TaskInput> items, JsonNode parameters) {
            CompletableFuture<List<Object>> answer =
                    cancelledOnDisconnect(pipeline.predict(items, parameters, timeout));
            if (shadow != null) {
                answer.thenAccept(answers -> shadows.copyItems(shadow, items, parameters, answers));
            }
            return answer;
        }

        /**
         * For routes whose model work is their own (generation): when the request was drawn for a
         * shadow copy, {@code copy} runs the same work on the shadow version once queued behind the
         * primary, and its answer is compared with {@code primaryAnswer}. Call once the answer is complete.
         */
        public void copyToShadow(Object primaryAnswer, Function<ServedModel, CompletableFuture<?>> copy) {
            if (shadow != null) {
                shadows.copyAnswer(shadow, primaryAnswer, copy);
            }
        }

        /**
         * Runs raw-tensor rows through the model's batcher with the request's deadline, cancelled
         * when the client goes away; a drawn shadow copy follows the answer, its outputs compared.
         */
        public CompletableFuture<List<Map<String, Tensor>>> submit(List<Row> rows) {
            CompletableFuture<List<Map<String, Tensor>>> answer =
                    cancelledOnDisconnect(model.batcher().submit(rows, deadlineNanos));
            if (shadow != null) {
                answer.thenAccept(outputs -> shadows.copyRows(shadow, rows, outputs));
            }
            return answer;
        }

        public ServedModel model() {
            return model;
        }

        public Duration timeout() {
            return timeout;
        }

        public long deadlineNanos() {
            return deadlineNanos;
        }

        /** Marks the request's model work: it is cancelled when the client goes away. @return {@code work} */
        public <W extends CompletableFuture<?>> W cancelledOnDisconnect(W work) {
            client.cancelOnClose(work);
            return work;
        }
    }

    /** Draws a version for requests without a routing key, and whether a request is copied to the shadow. */
    private static final RandomGenerator RANDOM = RandomGenerator.of("L64X128MixRandom");

    private final ModelRepository repository;
    private final RequestMeter meter;
    private final RequestWorkers workers;
    private final ShadowCopies shadows;
    private final long defaultTimeoutMs;

    RequestPath(
            ModelRepository repository,
            RequestMeter meter,
            RequestWorkers workers,
            ShadowCopies shadows,
            InferaConfig config) {
        this.repository = repository;
        this.meter = meter;
        this.workers = workers;
        this.shadows = shadows;
        this.defaultTimeoutMs = config.batching().defaultTimeoutMs();
    }

    /**
     * Serves one request. Call on the thread that received it (its client connection is watched there).
     *
     * @param version the version the route named, or null for the one serving
     * @param timeoutHeader the {@code X-Timeout-Ms} header, or null for the server's default
     * @return the route's answer; failures arrive unwrapped (never a {@link CompletionException})
     */
    public <T> CompletableFuture<T> serve(
            String model, String version, String timeoutHeader, ClientConnection client, Work<T> work) {
        long start = meter.started();
        String task = repository
                .status(model)
                .map(ModelStatus::task)
                .map(TaskType::wireName)
                .orElse(RequestMeter.NO_TASK);
        CompletableFuture<T> answer;
        try {
            Duration timeout = RequestTimeout.of(timeoutHeader, defaultTimeoutMs);
            answer = attempt(
                    model, version, new Admission(timeout, Pipeline.deadline(start, timeout), client), work, true);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer.handle((result, error) -> {
            Throwable cause = Failures.unwrap(error);
            meter.finished(model, task, start, cause);
            if (cause != null) {
                throw cause instanceof RuntimeException runtime ? runtime : new CompletionException(cause);
            }
            return result;
        });
    }

    /**
     * A request refused before it named a model (its body could not be read): counted and timed
     * like any other. @return {@code error}
     */
    public <E extends RuntimeException> E refusedUnread(E error) {
        meter.finished("", RequestMeter.NO_TASK, meter.started(), error);
        return error;
    }

    private record Admission(Duration timeout, long deadlineNanos, ClientConnection client) {}

    private <T> CompletableFuture<T> attempt(
            String name, String version, Admission admission, Work<T> work, boolean mayRetry) {
        ClientConnection client = admission.client();
        String pinned = version != null ? version : client.pinnedVersion();
        ModelRepository.Route route = repository.route(name, pinned, client::routingKey, RANDOM);
        ServedModel model = route.primary();
        model.admit(); // a full queue refuses before the request is decoded or tokenized
        client.answeredBy(model.version());
        meter.routed(model, route.how(), route.shadow());
        Admitted request =
                new Admitted(model, admission.timeout(), admission.deadlineNanos(), client, route.shadow(), shadows);
        long start = System.nanoTime();
        CompletableFuture<T> answer = workers.submit(() -> work.run(request))
                .whenComplete((result, error) -> meter.answeredBy(model, start, error));
        if (!mayRetry) {
            return answer;
        }
        return answer.exceptionallyCompose(
                error -> Failures.unwrap(error) instanceof ShuttingDownException && repository.replaced(name, model)
                        ? attempt(name, version, admission, work, false)
                        : CompletableFuture.failedFuture(error));
    }
}
