package io.infera.registry;

import io.infera.routing.TrafficPolicy;
import io.infera.tasks.TaskType;
import java.util.List;
import java.util.Optional;

/**
 * What the registry knows of one model folder at one moment. Immutable: a state change replaces it.
 * A model serves one or more versions; the model as a whole is READY while any version is, and its
 * default version (what a request that names none gets without a traffic split) is the highest
 * READY one.
 *
 * @param name     the folder name, which is the model name
 * @param state    lifecycle state of the model as a whole
 * @param reason   why the model FAILED, null otherwise
 * @param task     the task, once known
 * @param model    the default version while READY, null otherwise
 * @param versions every version the policy serves, highest first
 * @param traffic  how requests are shared between the versions
 */
public record ModelStatus(
        String name,
        ModelState state,
        String reason,
        TaskType task,
        ServedModel model,
        List<VersionStatus> versions,
        TrafficPolicy traffic) {

    public ModelStatus {
        versions = versions == null ? List.of() : List.copyOf(versions);
        traffic = traffic == null ? TrafficPolicy.NONE : traffic;
    }

    static ModelStatus loading(String name) {
        return of(name, List.of(), TrafficPolicy.NONE, ModelState.LOADING, null);
    }

    static ModelStatus failed(String name, String reason) {
        return of(name, List.of(), TrafficPolicy.NONE, ModelState.FAILED, reason);
    }

    static ModelStatus ready(ServedModel model) {
        return of(model.name(), List.of(VersionStatus.ready(model)), TrafficPolicy.NONE);
    }

    /** A model in the state of a lifecycle step that is not its versions' (unloading, unavailable). */
    static ModelStatus of(
            String name, List<VersionStatus> versions, TrafficPolicy traffic, ModelState state, String reason) {
        ServedModel first = versions.stream()
                .map(VersionStatus::model)
                .filter(m -> m != null)
                .findFirst()
                .orElse(null);
        return new ModelStatus(
                name,
                state,
                reason,
                first == null ? null : first.taskType().orElse(null),
                state == ModelState.READY ? first : null,
                versions,
                traffic);
    }

    /** The model as its versions make it: READY while one is, LOADING while one loads, else FAILED. */
    static ModelStatus of(String name, List<VersionStatus> versions, TrafficPolicy traffic) {
        if (versions.stream().anyMatch(v -> v.state() == ModelState.READY)) {
            return of(name, versions, traffic, ModelState.READY, null);
        }
        if (versions.isEmpty() || versions.stream().anyMatch(v -> v.state() == ModelState.LOADING)) {
            return of(name, versions, traffic, ModelState.LOADING, null);
        }
        String reason = versions.size() == 1
                ? versions.getFirst().reason()
                : versions.stream()
                        .map(v -> "version " + v.version() + ": " + v.reason())
                        .collect(java.util.stream.Collectors.joining("; "));
        return of(name, versions, traffic, ModelState.FAILED, reason);
    }

    public Optional<ServedModel> served() {
        return Optional.ofNullable(model);
    }

    /** The versions READY now, highest first. */
    public List<String> readyVersions() {
        return versions.stream()
                .filter(v -> v.state() == ModelState.READY)
                .map(VersionStatus::version)
                .toList();
    }

    /** Every version the policy serves, highest first, whatever its state. */
    public List<String> versionNames() {
        return versions.stream().map(VersionStatus::version).toList();
    }

    public Optional<VersionStatus> version(String version) {
        return versions.stream().filter(v -> v.version().equals(version)).findFirst();
    }

    /** This model with another traffic policy. */
    ModelStatus withTraffic(TrafficPolicy policy) {
        return new ModelStatus(name, state, reason, task, model, versions, policy);
    }
}
