package io.infera.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.infera.config.InferaConfig;
import io.infera.errors.InvalidInputException;
import io.infera.errors.ShuttingDownException;
import io.infera.metrics.InferaMetrics;
import io.infera.registry.ModelRepository;
import io.infera.registry.ServedModel;
import io.infera.server.RequestWorkers;
import io.infera.tasks.Pipeline;
import io.infera.tasks.TaskRequest;
import io.vertx.core.http.HttpServerResponse;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The task endpoint: Hugging Face Inference API conventions over each model's pipeline. Handlers
 * run on the event loop and return at once; the request body is already read, preprocessing runs
 * on the request workers and the answer follows the batcher's future.
 */
@Path("/v1/models")
public class PredictResource {

    private static final String PNG = "image/png";

    private final ModelRepository repository;
    private final ObjectMapper json;
    private final InferaConfig config;
    private final InferaMetrics metrics;
    private final RequestWorkers workers;
    private final RequestMeter meter;
    private final Rendering rendering;

    PredictResource(ModelRepository repository, ObjectMapper json, InferaConfig config, InferaMetrics metrics,
                    RequestWorkers workers, RequestMeter meter) {
        this.rendering = new Rendering(config.limits().maxImagePixels());
        this.repository = repository;
        this.json = json;
        this.config = config;
        this.metrics = metrics;
        this.workers = workers;
        this.meter = meter;
    }

    @POST
    @Path("{model}/predict")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM, PNG})
    @Operation(summary = "Run the model's task on {\"inputs\": item or [items], \"parameters\": {...}}")
    public CompletionStage<Response> predictJson(@PathParam("model") String model, @HeaderParam(RequestTimeout.HEADER) String timeout,
                                                 @HeaderParam(HttpHeaders.ACCEPT) String accept, @QueryParam("render") String render,
                                                 @Context HttpServerResponse http, byte[] body) {
        return handle(model, timeout, accept, render, ClientConnection.of(http), () -> TaskRequest.fromObject(
                JsonBody.readObject(json, body, "{\"inputs\": ..., \"parameters\": {...}}"), config.limits().maxItems()));
    }

    @POST
    @Path("{model}/predict")
    @Consumes({"image/*", "audio/*", MediaType.APPLICATION_OCTET_STREAM})
    @Produces({MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM, PNG})
    @Operation(summary = "Run the model's task on one image or audio clip sent as the raw body")
    public CompletionStage<Response> predictBinary(@PathParam("model") String model, @HeaderParam(RequestTimeout.HEADER) String timeout,
                                                   @HeaderParam(HttpHeaders.ACCEPT) String accept, @QueryParam("render") String render,
                                                   @HeaderParam(HttpHeaders.CONTENT_TYPE) String type, @Context HttpServerResponse http,
                                                   byte[] body) {
        return handle(model, timeout, accept, render, ClientConnection.of(http), () -> TaskRequest.fromBinary(body, type));
    }

    private CompletionStage<Response> handle(String model, String timeoutHeader, String accept, String render,
                                             ClientConnection client, Supplier<TaskRequest> reader) {
        long start = meter.started();
        String[] task = {RequestMeter.NO_TASK};
        CompletableFuture<Response> answer = attempt(model, timeoutHeader, accept, render, client, reader, task, true);
        return answer.handle((response, error) -> {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            meter.finished(model, task[0], start, cause);
            if (cause != null) {
                throw cause instanceof RuntimeException runtime ? runtime : new CompletionException(cause);
            }
            return response;
        });
    }

    /**
     * Sends the request to the model serving now. When a reload replaced that model while the
     * request was being decoded, the old one refuses it before running anything (shutting down);
     * it is then sent once more, to the new one.
     */
    private CompletableFuture<Response> attempt(String model, String timeoutHeader, String accept, String render,
                                                ClientConnection client, Supplier<TaskRequest> reader, String[] task,
                                                boolean mayRetry) {
        CompletableFuture<Response> answer;
        ServedModel served;
        try {
            served = repository.ready(model);
            Pipeline pipeline = served.pipeline().orElseThrow(() -> new InvalidInputException("model",
                    "model '" + model + "' has no task; send raw tensors to /v2/models/" + model + "/infer"));
            pipeline.admit(); // a full queue refuses before the request is decoded or tokenized
            task[0] = pipeline.taskType().wireName();
            Duration timeout = RequestTimeout.of(timeoutHeader, config.batching().defaultTimeoutMs());
            answer = workers.submit(() -> {
                TaskRequest request = reader.get();
                boolean picture = Rendering.requested(render, pipeline.taskType(), request);
                CompletableFuture<List<Object>> work = pipeline.predict(request.items(), request.parameters(), timeout);
                // A client that goes away cancels its work (generation stops at the next step).
                client.cancelOnClose(work);
                return work.thenApply(results -> picture ? rendering.png(request.items().getFirst(), pipeline.taskType(), results.getFirst())
                                : encode(model, task[0], accept, request.batch() ? pipeline.batchAnswer(results) : results.getFirst()));
            });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (!mayRetry) {
            return answer;
        }
        return answer.exceptionallyCompose(error -> {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            return cause instanceof ShuttingDownException && repository.replaced(model, served)
                    ? attempt(model, timeoutHeader, accept, render, client, reader, task, false)
                    : CompletableFuture.failedFuture(error);
        });
    }

    private Response encode(String model, String task, String accept, Object answer) {
        long start = System.nanoTime();
        Response response = ResponseBodies.encode(answer, accept, json);
        metrics.serialized(model, task, System.nanoTime() - start);
        return response;
    }
}
