package io.infera.registry;

import io.infera.errors.ModelLoadException;
import io.infera.errors.ModelNotFoundException;
import io.infera.errors.ModelNotReadyException;
import io.infera.routing.TrafficPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The models folder: one model per sub-folder, loaded in the background at start. A model that
 * fails to load is FAILED with its reason and takes nothing else down. Models can be loaded,
 * reloaded and unloaded while the server runs ({@link #load}, {@link #unload}); one name's
 * operations run one at a time.
 */
public final class ModelRepository implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ModelRepository.class);

    private final Path root;
    private final ModelLoader loader;
    private final Map<String, ModelStatus> models = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private volatile CountDownLatch pending = new CountDownLatch(0);

    public ModelRepository(Path root, ModelLoader loader) {
        this.root = root;
        this.loader = loader;
    }

    /** Finds the model folders and loads each on {@code executor}; returns at once. */
    public void start(Executor executor) {
        List<Path> folders = modelFolders();
        pending = new CountDownLatch(folders.size());
        for (Path folder : folders) {
            String name = folder.getFileName().toString();
            models.put(name, ModelStatus.loading(name));
        }
        for (Path folder : folders) {
            executor.execute(() -> loadAtStart(folder));
        }
    }

    private List<Path> modelFolders() {
        if (!Files.isDirectory(root)) {
            LOG.errorf("models folder %s does not exist; no models are served", root.toAbsolutePath());
            return List.of();
        }
        try (Stream<Path> children = Files.list(root)) {
            return children.filter(Files::isDirectory)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> {
                        String name = p.getFileName().toString();
                        if (!ModelName.isValid(name)) {
                            LOG.warnf("skipping folder '%s': model names are [a-z0-9][a-z0-9._-]{0,63}", name);
                            return false;
                        }
                        return true;
                    })
                    .filter(p -> {
                        if (!ModelFolder.isInside(root, p)) {
                            LOG.warnf(
                                    "skipping folder '%s': it is a link to a place outside the models folder",
                                    p.getFileName());
                            return false;
                        }
                        return true;
                    })
                    .sorted()
                    .toList();
        } catch (IOException e) {
            LOG.errorf("models folder %s cannot be listed: %s", root, e.getMessage());
            return List.of();
        }
    }

    private Object lockOf(String name) {
        return locks.computeIfAbsent(name, n -> new Object());
    }

    private void loadAtStart(Path folder) {
        String name = folder.getFileName().toString();
        try {
            synchronized (lockOf(name)) {
                ModelLoader.Plan plan = plan(name, folder);
                List<VersionStatus> versions = new ArrayList<>();
                plan.versionNames().forEach(v -> versions.add(VersionStatus.loading(v)));
                models.put(name, ModelStatus.of(name, versions, plan.traffic()));
                for (int i = 0; i < plan.versions().size(); i++) {
                    versions.set(
                            i, loadVersion(name, folder, plan, plan.versions().get(i)));
                    models.put(name, ModelStatus.of(name, versions, plan.traffic()));
                }
                ModelStatus loaded = models.get(name);
                if (loaded.state() == ModelState.FAILED && versions.size() > 1) {
                    LOG.errorf("model %s FAILED: every version failed", name);
                }
            }
        } catch (ModelLoadException e) {
            fail(name, e.getMessage(), e.getCause());
        } finally {
            pending.countDown();
        }
    }

    private ModelLoader.Plan plan(String name, Path folder) throws ModelLoadException {
        try {
            ModelFolder.check(root, folder);
            return loader.plan(folder);
        } catch (RuntimeException | LinkageError e) {
            LOG.error("unexpected load failure", e);
            throw new ModelLoadException("unexpected error while loading: " + e, e);
        }
    }

    /** Loads one version; a failure is that version's FAILED status (the model's other versions go on). */
    private VersionStatus loadVersion(String name, Path folder, ModelLoader.Plan plan, ModelVersions.Selected version) {
        long start = System.nanoTime();
        try {
            ServedModel model = loader.load(name, folder, plan.serving(), version, this::peer);
            LOG.infof(
                    "model %s version %s ready: task %s on %s %s (%d ms)",
                    name,
                    model.version(),
                    model.taskType().map(Object::toString).orElse("none (raw tensors)"),
                    model.backend().runtimeName(),
                    model.backend().device(),
                    (System.nanoTime() - start) / 1_000_000);
            return VersionStatus.ready(model);
        } catch (ModelLoadException e) {
            LOG.errorf("model %s version %s FAILED: %s", name, version.name(), e.getMessage());
            LOG.debugf(e.getCause(), "model %s version %s load failure", name, version.name());
            return VersionStatus.failed(version.name(), e.getMessage());
        } catch (RuntimeException | LinkageError e) {
            LOG.error("unexpected load failure", e);
            return VersionStatus.failed(version.name(), "unexpected error while loading: " + e);
        }
    }

    /**
     * Loads a model folder now, or reloads a model that serves: serving.yaml is read again (its
     * version policy and traffic), and each version it selects is loaded anew. A version that
     * serves keeps serving until its new load is READY (warm-up included), then takes no new
     * requests and runs what it has queued within {@code grace}, in the background; a version whose
     * load fails keeps its old load if it had one (the failure is logged), else it is FAILED, and the
     * other versions serve on. Versions the policy no longer selects are retired the same way.
     *
     * @throws ModelNotFoundException when there is no such model folder
     * @throws ModelNotReadyException (permanent) when a version could not be loaded (the others serve)
     */
    public ModelStatus load(String name, Duration grace) {
        Path folder = folderOf(name);
        synchronized (lockOf(name)) {
            ModelStatus before = models.get(name);
            boolean serving = before != null && before.model() != null;
            if (!serving) {
                models.put(name, ModelStatus.loading(name));
            }
            ModelLoader.Plan plan;
            try {
                plan = plan(name, folder);
            } catch (ModelLoadException e) {
                if (!serving) {
                    fail(name, e.getMessage(), e.getCause());
                } else {
                    LOG.errorf("model %s: reload failed, its versions keep serving: %s", name, e.getMessage());
                }
                throw new ModelNotReadyException("model '" + name + "' failed to load: " + e.getMessage(), true);
            }
            List<VersionStatus> versions = new ArrayList<>();
            List<ServedModel> retired = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            for (ModelVersions.Selected selected : plan.versions()) {
                VersionStatus loaded = loadVersion(name, folder, plan, selected);
                if (loaded.model() == null) {
                    failures.add(
                            (plan.versions().size() > 1 ? "version " + selected.name() + ": " : "") + loaded.reason());
                }
                ServedModel old = before == null
                        ? null
                        : before.version(selected.name())
                                .map(VersionStatus::model)
                                .orElse(null);
                if (loaded.model() == null && old != null) {
                    LOG.errorf("model %s: version %s keeps its earlier load", name, selected.name());
                    versions.add(VersionStatus.ready(old));
                } else {
                    versions.add(loaded);
                    if (old != null) {
                        retired.add(old);
                    }
                }
            }
            if (before != null) {
                before.versions().stream()
                        .filter(v -> v.model() != null && !plan.versionNames().contains(v.version()))
                        .forEach(v -> retired.add(v.model()));
            }
            ModelStatus now = ModelStatus.of(name, versions, plan.traffic());
            if (now.state() == ModelState.FAILED) {
                models.put(name, now);
                LOG.errorf("model %s FAILED: %s", name, now.reason());
                retired.forEach(m -> retire(name, m, grace));
                throw new ModelNotReadyException("model '" + name + "' failed to load: " + now.reason(), true);
            }
            models.put(name, now);
            retired.forEach(m -> retire(name, m, grace));
            if (!failures.isEmpty()) {
                // the versions that loaded serve (and failed ones keep an earlier load); the caller still hears of it
                throw new ModelNotReadyException(
                        "model '" + name + "' failed to load: " + String.join("; ", failures)
                                + " (the versions that are READY serve)",
                        true);
            }
            return now;
        }
    }

    private static void retire(String name, ServedModel model, Duration grace) {
        Thread.ofPlatform().name("infera-retire-" + name).daemon().start(() -> model.close(grace));
    }

    /**
     * Replaces a model's traffic policy while it serves (until the next load reads serving.yaml's
     * again). Requests already routed finish where they went; the next ones follow the new policy.
     *
     * @throws ModelNotFoundException when no such model is loaded
     * @throws io.infera.errors.InvalidInputException when the policy names a version the model does not serve
     */
    public ModelStatus route(String name, TrafficPolicy policy) {
        if (!ModelName.isValid(name)) {
            throw new ModelNotFoundException("model '" + name + "' is not served here");
        }
        synchronized (lockOf(name)) {
            ModelStatus status = models.get(name);
            if (status == null || status.versions().isEmpty()) {
                throw new ModelNotFoundException("model '" + name + "' is not loaded");
            }
            policy.checked(status.versionNames());
            ModelStatus now = status.withTraffic(policy);
            models.put(name, now);
            LOG.infof("model %s traffic: %s (was %s)", name, policy, status.traffic());
            return now;
        }
    }

    /**
     * Stops serving a model: it takes no new requests (503 while it drains, 404 after), runs what
     * it has queued within {@code grace}, then frees its resources. Returns once it is gone.
     *
     * @throws ModelNotFoundException when no model of that name is loaded or failed
     */
    public ModelStatus unload(String name, Duration grace) {
        if (!ModelName.isValid(name)) {
            throw new ModelNotFoundException("model '" + name + "' is not served here");
        }
        synchronized (lockOf(name)) {
            ModelStatus status = models.get(name);
            if (status == null) {
                throw new ModelNotFoundException("model '" + name + "' is not loaded");
            }
            models.put(name, unloading(status));
            status.versions().stream()
                    .map(VersionStatus::model)
                    .filter(m -> m != null)
                    .forEach(m -> m.close(grace));
            models.remove(name);
            LOG.infof("model %s unloaded", name);
            return new ModelStatus(name, ModelState.UNAVAILABLE, null, status.task(), null, List.of(), null);
        }
    }

    private static ModelStatus unloading(ModelStatus status) {
        return new ModelStatus(
                status.name(), ModelState.UNLOADING, null, status.task(), null, List.of(), status.traffic());
    }

    /** Every model folder on disk and every model known, by name; folders not loaded are UNAVAILABLE. */
    public List<ModelStatus> index() {
        Map<String, ModelStatus> all = new java.util.TreeMap<>();
        for (Path folder : modelFolders()) {
            String name = folder.getFileName().toString();
            all.put(name, new ModelStatus(name, ModelState.UNAVAILABLE, null, null, null, List.of(), null));
        }
        all.putAll(models);
        return List.copyOf(all.values());
    }

    private Path folderOf(String name) {
        Path folder = ModelName.isValid(name) ? root.resolve(name) : null;
        if (folder == null || !Files.isDirectory(folder) || !ModelFolder.isInside(root, folder)) {
            throw new ModelNotFoundException("there is no model folder '" + name + "'");
        }
        return folder;
    }

    private void fail(String name, String reason, Throwable cause) {
        models.put(name, ModelStatus.failed(name, reason));
        LOG.errorf("model %s FAILED: %s", name, reason);
        if (cause != null) {
            LOG.debugf(cause, "model %s load failure", name);
        }
    }

    /** Every model folder's status, by name. */
    public List<ModelStatus> statuses() {
        return models.values().stream()
                .sorted(Comparator.comparing(ModelStatus::name))
                .toList();
    }

    public Optional<ModelStatus> status(String name) {
        return ModelName.isValid(name) ? Optional.ofNullable(models.get(name)) : Optional.empty();
    }

    /**
     * The model ready to serve under this name.
     *
     * @throws ModelNotFoundException when there is no such model
     * @throws ModelNotReadyException when it is loading, failed or unloading
     */
    public ServedModel ready(String name) {
        ModelStatus status =
                status(name).orElseThrow(() -> new ModelNotFoundException("model '" + name + "' is not served here"));
        return switch (status.state()) {
            case READY -> status.model();
            case LOADING -> throw new ModelNotReadyException("model '" + name + "' is still loading", false);
            case UNLOADING -> throw new ModelNotReadyException("model '" + name + "' is unloading", false);
            case UNAVAILABLE -> throw new ModelNotFoundException("model '" + name + "' is not loaded");
            case FAILED ->
                throw new ModelNotReadyException("model '" + name + "' failed to load: " + status.reason(), true);
        };
    }

    /**
     * The pipeline of another served model that a model uses (a speech recogniser's voice
     * activity detector), looked up when a request needs it.
     *
     * @throws ModelNotFoundException when there is no such model
     * @throws ModelNotReadyException when it is not ready, or serves no task
     */
    private io.infera.tasks.Pipeline peer(String name) {
        return ready(name)
                .pipeline()
                .orElseThrow(() -> new ModelNotReadyException("model '" + name + "' serves no task", true));
    }

    /**
     * The version ready to serve under this name: {@code version}, or the default version when null.
     *
     * @throws ModelNotFoundException when there is no such model or it does not serve that version
     * @throws ModelNotReadyException when that version is loading or failed
     */
    public ServedModel ready(String name, String version) {
        ServedModel model = ready(name);
        if (version == null || model.version().equals(version)) {
            return model;
        }
        ModelStatus status = models.get(name);
        VersionStatus served = (status == null ? Optional.<VersionStatus>empty() : status.version(version))
                .orElseThrow(() -> new ModelNotFoundException(
                        "model '" + name + "' serves versions " + status.versionNames() + ", not " + version));
        return switch (served.state()) {
            case READY -> served.model();
            case FAILED ->
                throw new ModelNotReadyException(
                        "model '" + name + "' version " + version + " failed to load: " + served.reason(), true);
            default ->
                throw new ModelNotReadyException(
                        "model '" + name + "' version " + version + " is " + served.state(), false);
        };
    }

    /**
     * Which version answers a request, how it was chosen ({@code pin}, {@code split}, or {@code
     * default} where the model has no split), and which version gets a copy of it (null for none).
     */
    public record Route(ServedModel primary, String how, ServedModel shadow) {}

    /**
     * The versions for one request: the pinned one when the client names one, else the one the
     * traffic split draws (stable per routing key); and the shadow version when one is drawn.
     *
     * @param pinned     the version the client named, or null
     * @param routingKey the client's routing key (or null), read only when a split needs one
     */
    public Route route(String name, String pinned, Supplier<String> routingKey, RandomGenerator random) {
        ServedModel primary;
        ModelStatus status;
        String how = "pin";
        if (pinned != null) {
            primary = ready(name, pinned);
            status = models.get(name);
        } else {
            ServedModel fallback = ready(name);
            status = models.get(name);
            if (status == null
                    || status.traffic().split().isEmpty() && status.traffic().shadow() == null) {
                return new Route(fallback, "default", null);
            }
            how = status.traffic().split().isEmpty() ? "default" : "split";
            String chosen = status.traffic()
                    .primary(
                            status.readyVersions(),
                            fallback.version(),
                            status.traffic().split().isEmpty() ? null : routingKey.get(),
                            random);
            primary = status.version(chosen).map(VersionStatus::model).orElse(fallback);
        }
        if (status == null) {
            return new Route(primary, how, null);
        }
        ServedModel shadow = status.traffic()
                .shadowOf(primary.version(), status.readyVersions(), random)
                .flatMap(status::version)
                .map(VersionStatus::model)
                .orElse(null);
        return new Route(primary, how, shadow);
    }

    /** Whether another load of {@code model}'s version now serves under {@code name} (a reload replaced it). */
    public boolean replaced(String name, ServedModel model) {
        ModelStatus now = models.get(name);
        if (now == null) {
            return false;
        }
        return now.version(model.version())
                .map(VersionStatus::model)
                .map(current -> current != model)
                .orElse(false);
    }

    /** True while any model is still loading. */
    public boolean loading() {
        return pending.getCount() > 0;
    }

    public boolean awaitLoaded(Duration timeout) throws InterruptedException {
        return pending.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Unloads every model: each stops taking requests, runs what it has queued within {@code grace}
     * (all models drain in parallel), then frees its resources.
     */
    public void close(Duration grace) {
        List<Thread> drains = new ArrayList<>();
        for (ModelStatus status : models.values()) {
            models.put(status.name(), unloading(status));
            for (VersionStatus version : status.versions()) {
                if (version.model() != null) {
                    drains.add(Thread.ofPlatform()
                            .name("infera-drain-" + status.name() + "-" + version.version())
                            .start(() -> version.model().close(grace)));
                }
            }
        }
        boolean interrupted = false;
        for (Thread drain : drains) {
            while (drain.isAlive()) {
                try {
                    drain.join();
                } catch (InterruptedException e) {
                    interrupted = true; // unloading must finish: the process exits right after
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ZERO);
    }
}
