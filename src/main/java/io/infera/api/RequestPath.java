package io.infera.api;

import io.infera.config.InferaConfig;
import io.infera.errors.Failures;
import io.infera.errors.ShuttingDownException;
import io.infera.registry.ModelRepository;
import io.infera.registry.ModelStatus;
import io.infera.registry.ServedModel;
import io.infera.server.RequestWorkers;
import io.infera.tasks.Pipeline;
import io.infera.tasks.TaskType;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

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

        private Admitted(ServedModel model, Duration timeout, long deadlineNanos, ClientConnection client) {
            this.model = model;
            this.timeout = timeout;
            this.deadlineNanos = deadlineNanos;
            this.client = client;
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

    private final ModelRepository repository;
    private final RequestMeter meter;
    private final RequestWorkers workers;
    private final long defaultTimeoutMs;

    RequestPath(ModelRepository repository, RequestMeter meter, RequestWorkers workers, InferaConfig config) {
        this.repository = repository;
        this.meter = meter;
        this.workers = workers;
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
        ServedModel model = repository.ready(name, version);
        model.admit(); // a full queue refuses before the request is decoded or tokenized
        Admitted request = new Admitted(model, admission.timeout(), admission.deadlineNanos(), admission.client());
        CompletableFuture<T> answer = workers.submit(() -> work.run(request));
        if (!mayRetry) {
            return answer;
        }
        return answer.exceptionallyCompose(
                error -> Failures.unwrap(error) instanceof ShuttingDownException && repository.replaced(name, model)
                        ? attempt(name, version, admission, work, false)
                        : CompletableFuture.failedFuture(error));
    }
}
