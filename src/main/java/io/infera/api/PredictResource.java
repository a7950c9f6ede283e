package io.infera.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.infera.config.InferaConfig;
import io.infera.errors.InferaException;
import io.infera.errors.InvalidInputException;
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
import java.util.List;
import java.util.concurrent.CompletionException;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The task endpoint: Hugging Face Inference API conventions over each model's pipeline. */
@Path("/v1/models")
@Produces(MediaType.APPLICATION_JSON)
public class PredictResource {

    private final ModelRepository repository;
    private final ObjectMapper json;
    private final InferaConfig config;

    PredictResource(ModelRepository repository, ObjectMapper json, InferaConfig config) {
        this.repository = repository;
        this.json = json;
        this.config = config;
    }

    @POST
    @Path("{model}/predict")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Run the model's task on {\"inputs\": item or [items], \"parameters\": {...}}")
    public Object predictJson(@PathParam("model") String model, byte[] body) {
        Pipeline pipeline = pipeline(model);
        return answer(pipeline, PredictRequest.fromJson(body, json, config.limits().maxItems()));
    }

    @POST
    @Path("{model}/predict")
    @Consumes({"image/*", "audio/*", MediaType.APPLICATION_OCTET_STREAM})
    @Operation(summary = "Run the model's task on one image or audio clip sent as the raw body")
    public Object predictBinary(@PathParam("model") String model, @HeaderParam(HttpHeaders.CONTENT_TYPE) String type,
                                byte[] body) {
        Pipeline pipeline = pipeline(model);
        return answer(pipeline, PredictRequest.fromBinary(body, type));
    }

    private Pipeline pipeline(String name) {
        ServedModel model = repository.ready(name);
        return model.pipeline().orElseThrow(() -> new InvalidInputException("model",
                "model '" + name + "' has no task; send raw tensors to /v2/models/" + name + "/infer"));
    }

    private static Object answer(Pipeline pipeline, PredictRequest request) {
        try {
            List<Object> results = pipeline.predict(request.items(), request.parameters()).join();
            return request.batch() ? results : results.getFirst();
        } catch (CompletionException e) {
            if (e.getCause() instanceof InferaException cause) {
                throw cause;
            }
            throw e;
        }
    }
}
