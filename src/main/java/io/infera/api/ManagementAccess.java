package io.infera.api;

import io.infera.config.InferaConfig;
import io.infera.errors.AccessDeniedException;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.NotFoundException;
import java.util.List;

/**
 * Who may load, unload and reload models: nobody unless {@code infera.management.enabled}, and
 * then only a request with {@code Authorization: Bearer <infera.management.token>}. Turned off,
 * the routes answer 404 as if they did not exist; turned on without a token, the server does not
 * start (management is never open to everyone).
 */
@ApplicationScoped
public class ManagementAccess {

    private final boolean enabled;
    private final Credentials token;

    ManagementAccess(InferaConfig config) {
        this.enabled = config.management().enabled();
        this.token = new Credentials(config.management().token().map(List::of).orElse(List.of()));
    }

    void validate(@Observes StartupEvent event) {
        if (enabled && token.isEmpty()) {
            throw new IllegalStateException("infera.management.enabled=true needs infera.management.token "
                    + "(env INFERA_MANAGEMENT_TOKEN): management operations are never open to everyone");
        }
    }

    /** @throws AccessDeniedException 401 without a bearer token, 403 with a wrong one */
    void check(String authorization) {
        if (!enabled) {
            throw new NotFoundException("management operations are turned off (infera.management.enabled)");
        }
        String presented = Credentials.bearer(authorization);
        if (presented == null) {
            throw new AccessDeniedException("management operations need Authorization: Bearer <token>", false);
        }
        if (!token.accepts(presented)) {
            throw new AccessDeniedException("this token does not grant management operations", true);
        }
    }
}
