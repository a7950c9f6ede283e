package io.infera.api;

import io.infera.errors.ModelNotFoundException;
import io.infera.registry.ModelRepository;
import io.infera.registry.ModelStatus;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** The model list, shaped as OpenAI's {@code GET /v1/models} with Infera's serving details added. */
@Path("/v1/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelsResource {

    private final ModelRepository repository;

    ModelsResource(ModelRepository repository) {
        this.repository = repository;
    }

    public record ModelList(String object, List<ModelView> data) {}

    @GET
    public ModelList list() {
        return new ModelList(
                "list", repository.statuses().stream().map(ModelView::of).toList());
    }

    @GET
    @Path("{model}")
    public ModelView get(@PathParam("model") String name) {
        ModelStatus status = repository
                .status(name)
                .orElseThrow(() -> new ModelNotFoundException("model '" + name + "' is not served here"));
        return ModelView.of(status, true);
    }
}
