package io.infera.api;

import io.infera.config.InferaConfig;
import io.infera.registry.ModelRepository;
import io.infera.registry.ModelStatus;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
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
 * folders, load one, unload one. Loading a model that serves reloads it: the new version takes
 * over once READY and the old one runs what it has queued; a failed reload leaves the old one
 * serving. Guarded by {@link ManagementAccess}.
 */
@Path("/v2/repository")
@Produces(MediaType.APPLICATION_JSON)
public class RepositoryResource {

    private final ModelRepository repository;
    private final ManagementAccess access;
    private final Duration drainGrace;

    RepositoryResource(ModelRepository repository, ManagementAccess access, InferaConfig config) {
        this.repository = repository;
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

    @POST
    @Path("models/{model}/unload")
    @Operation(summary = "Stop serving a model once it has run what it has queued")
    public IndexEntry unload(
            @PathParam("model") String model, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        access.check(authorization);
        return IndexEntry.of(repository.unload(model, drainGrace));
    }
}
