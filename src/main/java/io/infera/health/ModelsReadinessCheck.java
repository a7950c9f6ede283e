package io.infera.health;

import io.infera.registry.ModelRepository;
import io.infera.registry.ModelStatus;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** The Kubernetes readiness probe ({@code /q/health/ready}), listing each model's state. */
@Readiness
@ApplicationScoped
public class ModelsReadinessCheck implements HealthCheck {

    private final ServerReadiness readiness;
    private final ModelRepository repository;

    ModelsReadinessCheck(ServerReadiness readiness, ModelRepository repository) {
        this.readiness = readiness;
        this.repository = repository;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response =
                HealthCheckResponse.named("models").status(readiness.ready());
        for (ModelStatus status : repository.statuses()) {
            response.withData(status.name(), status.state().name());
        }
        return response.build();
    }
}
