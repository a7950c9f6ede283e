package io.infera.api.v2;

import io.infera.api.ClientConnection;
import io.infera.api.RequestPath;
import io.infera.api.RequestTimeout;
import io.infera.health.ServerReadiness;
import io.infera.registry.ModelRepository;
import io.infera.registry.ModelStatus;
import io.infera.registry.ServedModel;
import io.infera.runtime.TensorSpec;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The Open Inference Protocol (KServe v2) REST routes: server and model metadata, health, raw-tensor inference. */
@Path("/v2")
@Produces(MediaType.APPLICATION_JSON)
public class InferenceProtocolResource {

    private final ModelRepository repository;
    private final ServerReadiness readiness;
    private final String version;
    private final InferHandler handler;
    private final RequestPath path;

    InferenceProtocolResource(
            ModelRepository repository,
            ServerReadiness readiness,
            InferHandler handler,
            RequestPath path,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version) {
        this.repository = repository;
        this.readiness = readiness;
        this.handler = handler;
        this.path = path;
        this.version = version;
    }

    public record ServerMetadata(String name, String version, List<String> extensions) {}

    public record ModelMetadata(
            String name,
            List<String> versions,
            String platform,
            List<TensorMetadata> inputs,
            List<TensorMetadata> outputs) {}

    public record TensorMetadata(String name, String datatype, long[] shape) {
        static TensorMetadata of(TensorSpec spec) {
            return new TensorMetadata(spec.name(), spec.type().name(), spec.shape());
        }
    }

    public record Liveness(boolean live) {}

    public record Readiness(boolean ready) {}

    public record ModelReadiness(String name, boolean ready) {}

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
        ServedModel model = repository.ready(name);
        return metadata(
                model, repository.status(name).map(ModelStatus::readyVersions).orElse(List.of(model.version())));
    }

    @GET
    @Path("models/{model}/versions/{version}")
    public ModelMetadata metadata(@PathParam("model") String name, @PathParam("version") String version) {
        ServedModel model = repository.ready(name, version);
        return metadata(model, List.of(model.version()));
    }

    @GET
    @Path("models/{model}/ready")
    public ModelReadiness modelReady(@PathParam("model") String name) {
        return new ModelReadiness(repository.ready(name).name(), true);
    }

    @GET
    @Path("models/{model}/versions/{version}/ready")
    public ModelReadiness modelReady(@PathParam("model") String name, @PathParam("version") String version) {
        return new ModelReadiness(repository.ready(name, version).name(), true);
    }

    @POST
    @Path("models/{model}/infer")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM})
    @Produces({MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM})
    public CompletionStage<Response> infer(
            @PathParam("model") String name,
            @HeaderParam(RequestTimeout.HEADER) String timeout,
            @HeaderParam(InferRequest.HEADER_LENGTH) String headerLength,
            @Context HttpServerRequest http,
            byte[] body) {
        return path.serve(
                name, null, timeout, ClientConnection.of(http), request -> handler.infer(request, body, headerLength));
    }

    @POST
    @Path("models/{model}/versions/{version}/infer")
    @Consumes({MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM})
    @Produces({MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM})
    public CompletionStage<Response> infer(
            @PathParam("model") String name,
            @PathParam("version") String version,
            @HeaderParam(RequestTimeout.HEADER) String timeout,
            @HeaderParam(InferRequest.HEADER_LENGTH) String headerLength,
            @Context HttpServerRequest http,
            byte[] body) {
        return path.serve(
                name,
                version,
                timeout,
                ClientConnection.of(http),
                request -> handler.infer(request, body, headerLength));
    }

    /** @param versions the versions READY now, highest first */
    private static ModelMetadata metadata(ServedModel model, List<String> versions) {
        return new ModelMetadata(
                model.name(),
                versions,
                "onnxruntime_onnx",
                model.backend().inputs().stream().map(TensorMetadata::of).toList(),
                model.backend().outputs().stream().map(TensorMetadata::of).toList());
    }
}
