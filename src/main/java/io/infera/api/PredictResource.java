package io.infera.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.infera.config.InferaConfig;
import io.infera.errors.InferaException;
import io.infera.errors.InvalidInputException;
import io.infera.metrics.InferaMetrics;
import io.infera.registry.ModelRepository;
import io.infera.registry.ServedModel;
import io.infera.tasks.Pipeline;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The task endpoint: Hugging Face Inference API conventions over each model's pipeline. */
@Path("/v1/models")
public class PredictResource {

    private final ModelRepository repository;
    private final ObjectMapper json;
    private final InferaConfig config;
    private final InferaMetrics metrics;

    PredictResource(ModelRepository repository, ObjectMapper json, InferaConfig config, InferaMetrics metrics) {
        this.repository = repository;
        this.json = json;
        this.config = config;
        this.metrics = metrics;
    }

    @POST
    @Path("{model}/predict")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM})
    @Operation(summary = "Run the model's task on {\"inputs\": item or [items], \"parameters\": {...}}")
    public Response predictJson(@PathParam("model") String model, @HeaderParam(RequestTimeout.HEADER) String timeout,
                                @HeaderParam(HttpHeaders.ACCEPT) String accept, byte[] body) {
        return handle(model, timeout, accept, () -> PredictRequest.fromJson(body, json, config.limits().maxItems()));
    }

    @POST
    @Path("{model}/predict")
    @Consumes({"image/*", "audio/*", MediaType.APPLICATION_OCTET_STREAM})
    @Produces({MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM})
    @Operation(summary = "Run the model's task on one image or audio clip sent as the raw body")
    public Response predictBinary(@PathParam("model") String model, @HeaderParam(RequestTimeout.HEADER) String timeout,
                                  @HeaderParam(HttpHeaders.ACCEPT) String accept,
                                  @HeaderParam(HttpHeaders.CONTENT_TYPE) String type, byte[] body) {
        return handle(model, timeout, accept, () -> PredictRequest.fromBinary(body, type));
    }

    private interface RequestReader {
        PredictRequest read();
    }

    private Response handle(String model, String timeoutHeader, String accept, RequestReader reader) {
        long start = System.nanoTime();
        String task = "unknown";
        try {
            ServedModel served = repository.ready(model);
            Pipeline pipeline = served.pipeline().orElseThrow(() -> new InvalidInputException("model",
                    "model '" + model + "' has no task; send raw tensors to /v2/models/" + model + "/infer"));
            task = pipeline.taskType().wireName();
            PredictRequest request = reader.read();
            List<Object> results = join(pipeline, request, RequestTimeout.of(timeoutHeader, config.batching().defaultTimeoutMs()));
            Object answer = request.batch() ? results : results.getFirst();
            long serializeStart = System.nanoTime();
            Response response = ResponseBodies.encode(answer, accept, json);
            metrics.serialized(model, task, System.nanoTime() - serializeStart);
            metrics.request(model, task, Outcome.SUCCESS.tag(), System.nanoTime() - start);
            return response;
        } catch (InferaException e) {
            metrics.request(ModelTag.of(model, repository), task, Outcome.of(e).tag(), System.nanoTime() - start);
            throw e;
        }
    }

    private static List<Object> join(Pipeline pipeline, PredictRequest request, Duration timeout) {
        try {
            return pipeline.predict(request.items(), request.parameters(), timeout).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof InferaException cause) {
                throw cause;
            }
            throw e;
        }
    }
}
