package io.infera.api.v2;

import io.infera.api.ClientConnection;
import io.infera.api.RequestMeter;
import io.infera.api.RequestTimeout;
import io.infera.config.InferaConfig;
import io.infera.errors.ModelNotFoundException;
import io.infera.health.ServerReadiness;
import io.infera.registry.ModelRepository;
import io.infera.registry.ModelStatus;
import io.infera.registry.ServedModel;
import io.infera.runtime.TensorSpec;
import io.infera.server.RequestWorkers;
import io.infera.tasks.TaskType;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import io.vertx.core.http.HttpServerResponse;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The Open Inference Protocol (KServe v2) REST routes: server and model metadata, health, raw-tensor inference. */
@Path("/v2")
@Produces(MediaType.APPLICATION_JSON)
public class InferenceProtocolResource {

    private final ModelRepository repository;
    private final ServerReadiness readiness;
    private final String version;
    private final InferaConfig config;
    private final InferHandler handler;
    private final RequestMeter meter;
    private final RequestWorkers workers;

    InferenceProtocolResource(ModelRepository repository, ServerReadiness readiness, InferHandler handler, RequestMeter meter,
                              RequestWorkers workers, InferaConfig config,
                              @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version) {
        this.repository = repository;
        this.readiness = readiness;
        this.handler = handler;
        this.meter = meter;
        this.workers = workers;
        this.config = config;
        this.version = version;
    }

    public record ServerMetadata(String name, String version, List<String> extensions) {
    }

    public record ModelMetadata(String name, List<String> versions, String platform, List<TensorMetadata> inputs,
                                List<TensorMetadata> outputs) {
    }

    public record TensorMetadata(String name, String datatype, long[] shape) {
        static TensorMetadata of(TensorSpec spec) {
            return new TensorMetadata(spec.name(), spec.type().name(), spec.shape());
        }
    }

    public record Liveness(boolean live) {
    }

    public record Readiness(boolean ready) {
    }

    public record ModelReadiness(String name, boolean ready) {
    }

    @GET
    public ServerMetadata server() {
        return new ServerMetadata("infera", version, List.of());
    }

    @GET
    @Path("health/live")
    public Liveness live() {
        return new Liveness(true);
    }

    @GET
    @Path("health/ready")
    public Response ready() {
        boolean ready = readiness.ready();
        return Response.status(ready ? 200 : 503).entity(new Readiness(ready)).build();
    }

    @GET
    @Path("models/{model}")
    public ModelMetadata metadata(@PathParam("model") String name) {
        return metadata(repository.ready(name));
    }

    @GET
    @Path("models/{model}/versions/{version}")
    public ModelMetadata metadata(@PathParam("model") String name, @PathParam("version") String version) {
        return metadata(versioned(name, version));
    }

    @GET
    @Path("models/{model}/ready")
    public ModelReadiness modelReady(@PathParam("model") String name) {
        return new ModelReadiness(repository.ready(name).name(), true);
    }

    @GET
    @Path("models/{model}/versions/{version}/ready")
    public ModelReadiness modelReady(@PathParam("model") String name, @PathParam("version") String version) {
        return new ModelReadiness(versioned(name, version).name(), true);
    }

    @POST
    @Path("models/{model}/infer")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM})
    @Produces({MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM})
    public CompletionStage<Response> infer(@PathParam("model") String name, @HeaderParam(RequestTimeout.HEADER) String timeout,
                                           @HeaderParam(InferRequest.HEADER_LENGTH) String headerLength,
                                           @Context HttpServerResponse http, byte[] body) {
        ClientConnection client = ClientConnection.of(http);
        return metered(name, () -> {
            repository.ready(name).admit(); // a full queue refuses before the body is decoded
            return workers.submit(() ->
                    repository.withReady(name, model -> handler.infer(model, timeout(timeout), body, headerLength, client)));
        });
    }

    @POST
    @Path("models/{model}/versions/{version}/infer")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM})
    @Produces({MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM})
    public CompletionStage<Response> infer(@PathParam("model") String name, @PathParam("version") String version,
                                           @HeaderParam(RequestTimeout.HEADER) String timeout,
                                           @HeaderParam(InferRequest.HEADER_LENGTH) String headerLength,
                                           @Context HttpServerResponse http, byte[] body) {
        ClientConnection client = ClientConnection.of(http);
        return metered(name, () -> workers.submit(() -> handler.infer(versioned(name, version), timeout(timeout), body, headerLength, client)));
    }

    private CompletionStage<Response> metered(String name, Supplier<CompletableFuture<Response>> inference) {
        long start = meter.started();
        String task = repository.status(name).map(ModelStatus::task).map(TaskType::wireName).orElse(RequestMeter.NO_TASK);
        CompletableFuture<Response> answer;
        try {
            answer = inference.get();
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer.handle((response, error) -> {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            meter.finished(name, task, start, cause);
            if (cause != null) {
                throw cause instanceof RuntimeException runtime ? runtime : new CompletionException(cause);
            }
            return response;
        });
    }

    private Duration timeout(String header) {
        return RequestTimeout.of(header, config.batching().defaultTimeoutMs());
    }

    private ServedModel versioned(String name, String version) {
        ServedModel model = repository.ready(name);
        if (!model.version().equals(version)) {
            throw new ModelNotFoundException("model '" + name + "' serves version " + model.version() + ", not " + version);
        }
        return model;
    }

    private static ModelMetadata metadata(ServedModel model) {
        return new ModelMetadata(model.name(), List.of(model.version()), "onnxruntime_onnx",
                model.backend().inputs().stream().map(TensorMetadata::of).toList(),
                model.backend().outputs().stream().map(TensorMetadata::of).toList());
    }
}
