package io.infera.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.infera.config.InferaConfig;
import io.infera.errors.ModelNotFoundException;
import io.infera.registry.ModelRepository;
import io.infera.registry.ModelStatus;
import io.infera.routing.TrafficPolicy;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The Open Inference Protocol's model repository extension (as Triton serves it): list the model
 * folders, load one, unload one. Loading a model that serves reloads it: each new load takes over
 * once READY and the old one runs what it has queued; a failed reload leaves the old one serving.
 * Beside it, a model's traffic policy between its versions, read and replaced at run time (the
 * change is logged). Guarded by {@link ManagementAccess}.
 */
@Path("/v2/repository")
@Produces(MediaType.APPLICATION_JSON)
public class RepositoryResource {

    private final ModelRepository repository;
    private final ManagementAccess access;
    private final Duration drainGrace;
    private final ObjectMapper json;

    RepositoryResource(ModelRepository repository, ManagementAccess access, InferaConfig config, ObjectMapper json) {
        this.repository = repository;
        this.json = json;
        this.access = access;
        this.drainGrace = config.management().drainGrace();
    }

    /** One model folder: its state, version while it serves, and why it FAILED. */
    public record IndexEntry(String name, String version, String state, String reason) {
        static IndexEntry of(ModelStatus status) {
            return new IndexEntry(
                    status.name(),
                    status.served().map(m -> m.version()).orElse(null),
                    status.state().name(),
                    status.reason());
        }
    }

    @POST
    @Path("index")
    @Operation(summary = "Every model folder with its state (UNAVAILABLE: on disk, not loaded)")
    public List<IndexEntry> index(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        access.check(authorization);
        return repository.index().stream().map(IndexEntry::of).toList();
    }

    @POST
    @Path("models/{model}/load")
    @Operation(summary = "Load a model folder, or reload a model that serves; answers once it is READY")
    public IndexEntry load(
            @PathParam("model") String model, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        access.check(authorization);
        return IndexEntry.of(repository.load(model, drainGrace));
    }

    @GET
    @Path("models/{model}/traffic")
    @Operation(summary = "How the model's requests are shared between its versions (split, shadow)")
    public TrafficPolicy traffic(
            @PathParam("model") String model, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        access.check(authorization);
        return repository
                .status(model)
                .map(ModelStatus::traffic)
                .orElseThrow(() -> new ModelNotFoundException("model '" + model + "' is not loaded"));
    }

    @PUT
    @Path("models/{model}/traffic")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Replace the model's traffic policy now: {\"split\": {\"1\": 95, \"2\": 5}, \"shadow\": {...}}")
    public TrafficPolicy setTraffic(
            @PathParam("model") String model,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            byte[] body) {
        access.check(authorization);
        return repository.route(model, TrafficBody.read(json, body)).traffic();
    }

    @POST
    @Path("models/{model}/unload")
    @Operation(summary = "Stop serving a model once it has run what it has queued")
    public IndexEntry unload(
            @PathParam("model") String model, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        access.check(authorization);
        return IndexEntry.of(repository.unload(model, drainGrace));
    }
}
