package io.infera.api.v2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infera.api.JsonBody;
import io.infera.api.RequestTimeout;
import io.infera.batching.Row;
import io.infera.config.InferaConfig;
import io.infera.errors.InferaException;
import io.infera.errors.InvalidInputException;
import io.infera.errors.ModelNotFoundException;
import io.infera.health.ServerReadiness;
import io.infera.registry.ModelRepository;
import io.infera.registry.ServedModel;
import io.infera.runtime.Tensor;
import io.infera.runtime.TensorSpec;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The Open Inference Protocol (KServe v2) REST routes: server and model metadata, health, raw-tensor inference. */
@Path("/v2")
@Produces(MediaType.APPLICATION_JSON)
public class InferenceProtocolResource {

    private final ModelRepository repository;
    private final ServerReadiness readiness;
    private final ObjectMapper json;
    private final String version;
    private final InferaConfig config;

    InferenceProtocolResource(ModelRepository repository, ServerReadiness readiness, ObjectMapper json, InferaConfig config,
                              @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version) {
        this.repository = repository;
        this.readiness = readiness;
        this.json = json;
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
    @Consumes(MediaType.APPLICATION_JSON)
    public ObjectNode infer(@PathParam("model") String name, @HeaderParam(RequestTimeout.HEADER) String timeout, byte[] body) {
        return infer(repository.ready(name), timeout, body);
    }

    @POST
    @Path("models/{model}/versions/{version}/infer")
    @Consumes(MediaType.APPLICATION_JSON)
    public ObjectNode infer(@PathParam("model") String name, @PathParam("version") String version,
                            @HeaderParam(RequestTimeout.HEADER) String timeout, byte[] body) {
        return infer(versioned(name, version), timeout, body);
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

    private ObjectNode infer(ServedModel model, String timeoutHeader, byte[] body) {
        Duration timeout = RequestTimeout.of(timeoutHeader, config.batching().defaultTimeoutMs());
        JsonNode request = JsonBody.readObject(json, body, "{\"inputs\": [...]}");
        Map<String, Tensor> inputs = V2TensorCodec.decodeInputs(request.get("inputs"), model.backend().inputs());
        List<String> wanted = requestedOutputs(request.path("outputs"), model.backend().outputs());
        // Through the model's batcher: the same queue bound, deadline, instances and drain as the task route.
        Map<String, Tensor> all = awaitOutputs(model, inputs, timeout);
        Map<String, Tensor> outputs = new LinkedHashMap<>();
        for (TensorSpec spec : model.backend().outputs()) {
            if (wanted.isEmpty() || wanted.contains(spec.name())) {
                outputs.put(spec.name(), all.get(spec.name()));
            }
        }

        ObjectNode response = json.createObjectNode();
        response.put("model_name", model.name());
        response.put("model_version", model.version());
        if (request.hasNonNull("id")) {
            response.set("id", request.get("id"));
        }
        ArrayNode list = response.putArray("outputs");
        outputs.forEach((outputName, tensor) -> list.add(V2TensorCodec.encode(outputName, tensor)));
        return response;
    }

    private static Map<String, Tensor> awaitOutputs(ServedModel model, Map<String, Tensor> inputs, Duration timeout) {
        try {
            return model.batcher().submit(List.of(Row.prebatched(inputs)), RequestTimeout.deadline(timeout)).join().getFirst();
        } catch (CompletionException e) {
            if (e.getCause() instanceof InferaException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static List<String> requestedOutputs(JsonNode outputs, List<TensorSpec> declared) {
        List<String> names = new ArrayList<>();
        if (outputs.isMissingNode() || outputs.isNull()) {
            return names;
        }
        if (!outputs.isArray()) {
            throw new InvalidInputException("outputs", "expected a list of {name}");
        }
        for (int i = 0; i < outputs.size(); i++) {
            String name = outputs.get(i).path("name").asText(null);
            if (name == null || declared.stream().noneMatch(s -> s.name().equals(name))) {
                throw new InvalidInputException("outputs[" + i + "].name", "model has no output '" + name + "' (outputs: "
                        + declared.stream().map(TensorSpec::name).toList() + ")");
            }
            names.add(name);
        }
        return names;
    }
}
