package io.infera.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.infera.config.InferaConfig;
import io.infera.errors.InvalidInputException;
import io.infera.metrics.InferaMetrics;
import io.infera.tasks.Pipeline;
import io.infera.tasks.TaskRequest;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The task endpoint: Hugging Face Inference API conventions over each model's pipeline. Handlers
 * run on the event loop and return at once; the request body is already read, and the request
 * takes the common {@link RequestPath}: preprocessing runs on a request worker and the answer
 * follows the pipeline's future.
 */
@Path("/v1/models")
public class PredictResource {

    private static final String PNG = "image/png";

    private final ObjectMapper json;
    private final InferaConfig config;
    private final InferaMetrics metrics;
    private final RequestPath path;
    private final Rendering rendering;

    PredictResource(ObjectMapper json, InferaConfig config, InferaMetrics metrics, RequestPath path) {
        this.rendering = new Rendering(config.limits().maxImagePixels());
        this.json = json;
        this.config = config;
        this.metrics = metrics;
        this.path = path;
    }

    @POST
    @Path("{model}/predict")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM, PNG})
    @Operation(summary = "Run the model's task on {\"inputs\": item or [items], \"parameters\": {...}}")
    public CompletionStage<Response> predictJson(
            @PathParam("model") String model,
            @HeaderParam(RequestTimeout.HEADER) String timeout,
            @HeaderParam(HttpHeaders.ACCEPT) String accept,
            @QueryParam("render") String render,
            @Context HttpServerRequest http,
            byte[] body) {
        return handle(new Target(model, null), timeout, accept, render, ClientConnection.of(http, body), json(body));
    }

    @POST
    @Path("{model}/versions/{version}/predict")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM, PNG})
    @Operation(
            summary = "Run one version of the model on {\"inputs\": ..., \"parameters\": {...}}, bypassing its split")
    public CompletionStage<Response> predictVersionJson(
            @PathParam("model") String model,
            @PathParam("version") String version,
            @HeaderParam(RequestTimeout.HEADER) String timeout,
            @HeaderParam(HttpHeaders.ACCEPT) String accept,
            @QueryParam("render") String render,
            @Context HttpServerRequest http,
            byte[] body) {
        return handle(new Target(model, version), timeout, accept, render, ClientConnection.of(http), json(body));
    }

    @POST
    @Path("{model}/predict")
    @Consumes({"image/*", "audio/*", MediaType.APPLICATION_OCTET_STREAM})
    @Produces({MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM, PNG})
    @Operation(summary = "Run the model's task on one image or audio clip sent as the raw body")
    public CompletionStage<Response> predictBinary(
            @PathParam("model") String model,
            @HeaderParam(RequestTimeout.HEADER) String timeout,
            @HeaderParam(HttpHeaders.ACCEPT) String accept,
            @QueryParam("render") String render,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String type,
            @Context HttpServerRequest http,
            byte[] body) {
        return handle(
                new Target(model, null),
                timeout,
                accept,
                render,
                ClientConnection.of(http),
                () -> TaskRequest.fromBinary(body, type));
    }

    @POST
    @Path("{model}/versions/{version}/predict")
    @Consumes({"image/*", "audio/*", MediaType.APPLICATION_OCTET_STREAM})
    @Produces({MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM, PNG})
    @Operation(summary = "Run one version of the model on one image or audio clip sent as the raw body")
    public CompletionStage<Response> predictVersionBinary(
            @PathParam("model") String model,
            @PathParam("version") String version,
            @HeaderParam(RequestTimeout.HEADER) String timeout,
            @HeaderParam(HttpHeaders.ACCEPT) String accept,
            @QueryParam("render") String render,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String type,
            @Context HttpServerRequest http,
            byte[] body) {
        return handle(
                new Target(model, version),
                timeout,
                accept,
                render,
                ClientConnection.of(http),
                () -> TaskRequest.fromBinary(body, type));
    }

    /** The model a request names, and the version when the path pins one (null: routed). */
    private record Target(String model, String version) {}

    private Supplier<TaskRequest> json(byte[] body) {
        return () -> TaskRequest.fromObject(
                JsonBody.readObject(json, body, "{\"inputs\": ..., \"parameters\": {...}}"),
                config.limits().maxItems());
    }

    private CompletionStage<Response> handle(
            Target target,
            String timeoutHeader,
            String accept,
            String render,
            ClientConnection client,
            Supplier<TaskRequest> reader) {
        String model = target.model();
        return path.serve(model, target.version(), timeoutHeader, client, admitted -> {
            Pipeline pipeline = admitted.model()
                    .pipeline()
                    .orElseThrow(() -> new InvalidInputException(
                            "model",
                            "model '" + model + "' has no task; send raw tensors to /v2/models/" + model + "/infer"));
            TaskRequest request = reader.get();
            boolean picture = Rendering.requested(render, pipeline.taskType(), request);
            CompletableFuture<List<Object>> work = admitted.predict(pipeline, request.items(), request.parameters());
            String task = pipeline.taskType().wireName();
            return work.thenApply(results -> picture
                    ? rendering.png(request.items().getFirst(), pipeline.taskType(), results.getFirst())
                    : encode(
                            model, task, accept, request.batch() ? pipeline.batchAnswer(results) : results.getFirst()));
        });
    }

    private Response encode(String model, String task, String accept, Object answer) {
        long start = System.nanoTime();
        Response response = ResponseBodies.encode(answer, accept, json);
        metrics.serialized(model, task, System.nanoTime() - start);
        return response;
    }
}
