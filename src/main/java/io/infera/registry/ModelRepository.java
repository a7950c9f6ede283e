package io.infera.registry;

import io.infera.errors.ModelLoadException;
import io.infera.errors.ModelNotFoundException;
import io.infera.errors.ModelNotReadyException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
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
                models.put(name, ModelStatus.ready(loadFolder(name, folder)));
            }
        } catch (ModelLoadException e) {
            fail(name, e.getMessage(), e.getCause());
        } finally {
            pending.countDown();
        }
    }

    private ServedModel loadFolder(String name, Path folder) throws ModelLoadException {
        long start = System.nanoTime();
        try {
            ModelFolder.check(root, folder);
            ServedModel model = loader.load(name, folder);
            LOG.infof(
                    "model %s version %s ready: task %s on %s %s (%d ms)",
                    name,
                    model.version(),
                    model.taskType().map(Object::toString).orElse("none (raw tensors)"),
                    model.backend().runtimeName(),
                    model.backend().device(),
                    (System.nanoTime() - start) / 1_000_000);
            return model;
        } catch (RuntimeException | LinkageError e) {
            LOG.error("unexpected load failure", e);
            throw new ModelLoadException("unexpected error while loading: " + e, e);
        }
    }

    /**
     * Loads a model folder now, or reloads a model that serves: the serving version keeps serving
     * until the new one is READY (warm-up included), then takes no new requests and runs what it
     * has queued within {@code grace}, in the background. When the load fails, a model that was
     * serving keeps serving (the failure is logged); one that was not is FAILED with the reason.
     *
     * @throws ModelNotFoundException when there is no such model folder
     * @throws ModelNotReadyException (permanent) when the load failed
     */
    public ModelStatus load(String name, Duration grace) {
        Path folder = folderOf(name);
        synchronized (lockOf(name)) {
            ModelStatus before = models.get(name);
            ServedModel serving = before == null ? null : before.model();
            if (serving == null) {
                models.put(name, ModelStatus.loading(name));
            }
            ServedModel loaded;
            try {
                loaded = loadFolder(name, folder);
            } catch (ModelLoadException e) {
                if (serving == null) {
                    fail(name, e.getMessage(), e.getCause());
                } else {
                    LOG.errorf(
                            "model %s: reload failed, version %s keeps serving: %s",
                            name, serving.version(), e.getMessage());
                }
                throw new ModelNotReadyException("model '" + name + "' failed to load: " + e.getMessage(), true);
            }
            models.put(name, ModelStatus.ready(loaded));
            if (serving != null) {
                Thread.ofPlatform().name("infera-retire-" + name).daemon().start(() -> serving.close(grace));
            }
            return models.get(name);
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
            models.put(name, new ModelStatus(name, ModelState.UNLOADING, null, status.task(), null));
            status.served().ifPresent(model -> model.close(grace));
            models.remove(name);
            LOG.infof("model %s unloaded", name);
            return new ModelStatus(name, ModelState.UNAVAILABLE, null, status.task(), null);
        }
    }

    /** Every model folder on disk and every model known, by name; folders not loaded are UNAVAILABLE. */
    public List<ModelStatus> index() {
        Map<String, ModelStatus> all = new java.util.TreeMap<>();
        for (Path folder : modelFolders()) {
            String name = folder.getFileName().toString();
            all.put(name, new ModelStatus(name, ModelState.UNAVAILABLE, null, null, null));
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
     * The model ready to serve under this name, which must be {@code version} when one is named.
     *
     * @throws ModelNotFoundException when there is no such model or it serves another version
     */
    public ServedModel ready(String name, String version) {
        ServedModel model = ready(name);
        if (version != null && !model.version().equals(version)) {
            throw new ModelNotFoundException(
                    "model '" + name + "' serves version " + model.version() + ", not " + version);
        }
        return model;
    }

    /** Whether a model other than {@code model} now serves under {@code name} (a reload replaced it). */
    public boolean replaced(String name, ServedModel model) {
        ModelStatus now = models.get(name);
        return now != null && now.model() != null && now.model() != model;
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
        List<Thread> drains = new java.util.ArrayList<>();
        for (ModelStatus status : models.values()) {
            status.served().ifPresent(model -> {
                models.put(
                        status.name(), new ModelStatus(status.name(), ModelState.UNLOADING, null, status.task(), null));
                drains.add(Thread.ofPlatform()
                        .name("infera-drain-" + status.name())
                        .start(() -> model.close(grace)));
            });
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
