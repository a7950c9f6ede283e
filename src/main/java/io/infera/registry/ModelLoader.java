package io.infera.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.infera.batching.BatchingMode;
import io.infera.batching.BatchingPolicy;
import io.infera.batching.DynamicBatcher;
import io.infera.errors.InvalidInputException;
import io.infera.errors.ModelLoadException;
import io.infera.errors.ModelNotFoundException;
import io.infera.routing.TrafficPolicy;
import io.infera.runtime.Backend;
import io.infera.runtime.BackendKind;
import io.infera.runtime.BatchCoupling;
import io.infera.runtime.Device;
import io.infera.runtime.OnnxBackend;
import io.infera.runtime.OnnxSessionSettings;
import io.infera.runtime.TorchScriptBackend;
import io.infera.runtime.UnbatchedBackend;
import io.infera.tasks.DetectionSettings;
import io.infera.tasks.EmbeddingSettings;
import io.infera.tasks.HfConfig;
import io.infera.tasks.ModelFiles;
import io.infera.tasks.ModelParts;
import io.infera.tasks.Pipeline;
import io.infera.tasks.PipelineObserver;
import io.infera.tasks.TaskContext;
import io.infera.tasks.TaskModel;
import io.infera.tasks.TaskSettings;
import io.infera.tasks.TaskType;
import io.infera.tasks.Tasks;
import io.infera.tasks.ocr.OcrStages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/** Turns one model folder into a {@link ServedModel}: settings, version, backend, task, scheduler. */
public final class ModelLoader {

    private final ModelDefaults defaults;
    private final ObjectMapper json;
    private final ModelObservers observers;

    public ModelLoader(ModelDefaults defaults, ObjectMapper json) {
        this(defaults, json, ModelObservers.NONE);
    }

    public ModelLoader(ModelDefaults defaults, ObjectMapper json, ModelObservers observers) {
        this.defaults = defaults;
        this.json = json;
        this.observers = observers;
    }

    /**
     * What a model folder asks to serve: its serving.yaml and the versions its policy selects
     * (highest first), with the traffic policy checked against them.
     */
    record Plan(ServingConfig serving, List<ModelVersions.Selected> versions) {

        List<String> versionNames() {
            return versions.stream().map(ModelVersions.Selected::name).toList();
        }

        TrafficPolicy traffic() {
            return serving.traffic() == null ? TrafficPolicy.NONE : serving.traffic();
        }
    }

    Plan plan(Path folder) throws ModelLoadException {
        ServingConfig serving = servingConfig(folder);
        Plan plan = new Plan(serving, ModelVersions.select(folder, serving.version(), serving.versionPolicy()));
        try {
            plan.traffic().checked(plan.versionNames());
        } catch (InvalidInputException e) {
            throw new ModelLoadException("serving.yaml traffic." + e.getMessage());
        }
        return plan;
    }

    /** Loads the highest version the folder's policy selects (tools and tests that serve one model). */
    public ServedModel load(String name, Path folder) throws ModelLoadException {
        return load(name, folder, NO_PEERS);
    }

    /**
     * Loads the highest version the folder's policy selects, finding the other models it uses
     * (serving.yaml {@code vad:}) with {@code peers}.
     */
    public ServedModel load(String name, Path folder, Function<String, Pipeline> peers) throws ModelLoadException {
        Plan plan = plan(folder);
        return load(name, folder, plan.serving(), plan.versions().getFirst(), peers);
    }

    /** Where no other model is served (a tool serving one model). */
    static final Function<String, Pipeline> NO_PEERS = name -> {
        throw new ModelNotFoundException("model '" + name + "' is not served here: this server serves one model");
    };

    /**
     * @param peers the pipeline of another served model, by name, for models that use one (serving.yaml
     *              {@code vad:}); throws when that model is not ready
     */
    ServedModel load(
            String name,
            Path folder,
            ServingConfig serving,
            ModelVersions.Selected version,
            Function<String, Pipeline> peers)
            throws ModelLoadException {
        ModelFiles files = new ModelFiles(version.folder(), folder);
        HfConfig config = HfConfig.read(files, json);
        Optional<TaskType> taskType;
        try {
            taskType = TaskResolver.resolve(serving, config, files);
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(e.getMessage());
        }
        ModelCard card = ModelCard.read(files.resolve("README.md"), serving.modelCard());
        BatchingPolicy policy = BatchingSettings.policy(defaults.batching(), serving.batching());
        List<Backend> instances = new ArrayList<>();
        TaskModel taskModel = null;
        BatchingMode mode;
        ExecutionLayout layout = checkedLayout(serving);
        String taskName = taskType.map(TaskType::wireName).orElse("none");
        try {
            for (int i = 0; i < layout.instances(); i++) {
                Backend opened = openBackend(files, serving, layout);
                instances.add(Boolean.TRUE.equals(serving.unbatched()) ? new UnbatchedBackend(opened) : opened);
            }
            Backend backend = instances.getFirst();
            mode = batchingMode(serving, backend);
            if (!mode.equals(BatchingMode.DYNAMIC)) {
                // No batch axis to stack rows on, or rows that would change each other's answers: one row per run.
                policy = policy.oneRowAtATime();
            }
            if (taskType.isPresent()) {
                taskModel = createTask(taskType.get(), name, version.name(), files, config, serving, layout, backend);
                taskModel.onePass().ifPresent(task -> instances.replaceAll(task::runner));
                if (serving.vad() != null) {
                    Tasks.checkCutsByVoiceActivity(taskModel);
                    if (serving.vad().model() == null || serving.vad().model().isBlank()) {
                        throw new ModelLoadException(
                                "serving.yaml vad.model must name a served voice-activity-detection model");
                    }
                }
            }
            if (serving.warmup() != null ? serving.warmup() : defaults.warmup()) {
                Warmup.run(taskModel == null ? null : taskModel.onePass().orElse(null), instances, policy);
            }
        } catch (ModelLoadException | RuntimeException e) {
            if (taskModel != null) {
                taskModel.close();
            }
            instances.forEach(Backend::close);
            throw e;
        }
        DynamicBatcher batcher = new DynamicBatcher(
                name,
                instances,
                policy,
                taskModel == null ? Map.of() : taskModel.padValues(),
                observers.batcher(name, taskName));
        Pipeline pipeline = taskModel == null ? null : taskModel.pipeline(batcher, policy);
        if (pipeline != null && serving.vad() != null) {
            pipeline = behindVoiceActivity(taskModel, pipeline, serving.vad(), peers);
        }
        ServedModel served = new ServedModel(
                name,
                version.name(),
                instances,
                batcher,
                pipeline,
                pipeline == null ? mode : pipeline.batching().orElse(mode),
                new ServedModel.Details(
                        serving.description(),
                        execution(serving, layout),
                        layout.instances() * weightsBytes(files.versionFolder()),
                        card));
        observers.started(served);
        return served;
    }

    private static Pipeline behindVoiceActivity(
            TaskModel taskModel, Pipeline pipeline, ServingConfig.Vad vad, Function<String, Pipeline> peers)
            throws ModelLoadException {
        return Tasks.cutByVoiceActivity(
                taskModel, pipeline, vad.model(), () -> peers.apply(vad.model()), vad.parameters());
    }

    /**
     * The bytes of the version's weight files (ONNX graphs and external data, TorchScript archives):
     * what each session holds in memory at least, beside its working buffers.
     */
    private static long weightsBytes(Path versionFolder) {
        try (java.util.stream.Stream<Path> files = Files.walk(versionFolder, 2)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> {
                        String n = f.getFileName().toString();
                        return n.endsWith(".onnx")
                                || n.endsWith(".onnx_data")
                                || n.endsWith(".pt")
                                || n.endsWith(".data");
                    })
                    .mapToLong(f -> {
                        try {
                            return Files.size(f);
                        } catch (java.io.IOException e) {
                            return 0;
                        }
                    })
                    .sum();
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }

    private static BatchingMode batchingMode(ServingConfig serving, Backend backend) {
        if (Boolean.TRUE.equals(serving.unbatched())) {
            return BatchingMode.UNBATCHED;
        }
        return BatchCoupling.of(backend.operators())
                .map(BatchingMode::rowsSeparately)
                .orElse(BatchingMode.DYNAMIC);
    }

    private ServingConfig servingConfig(Path folder) throws ModelLoadException {
        Path file = folder.resolve("serving.yaml");
        return Files.isRegularFile(file) ? ServingConfig.read(file) : ServingConfig.EMPTY;
    }

    /** The version's task, made from its files and first backend, reporting to the version's observers. */
    private TaskModel createTask(
            TaskType taskType,
            String name,
            String version,
            ModelFiles files,
            HfConfig config,
            ServingConfig serving,
            ExecutionLayout layout,
            Backend backend)
            throws ModelLoadException {
        String taskName = taskType.wireName();
        PipelineObserver observer = observers.pipeline(name, version, taskName);
        TaskContext context = new TaskContext(
                name, files, config, taskSettings(serving), backend.inputs(), backend.outputs(), json, observer);
        return Tasks.create(
                taskType,
                new ModelParts(
                        context,
                        backend,
                        layout.instances(),
                        file -> openOnnxFile(files, file, serving, layout),
                        defaults.generation(),
                        defaults.maxNewTokens(),
                        defaults.maxTextChars(),
                        observer,
                        observers.generation(name),
                        observers.batcher(name, taskName)));
    }

    private ExecutionLayout checkedLayout(ServingConfig serving) throws ModelLoadException {
        try {
            if (serving.instances() != null && serving.instances() < 1) {
                throw new ModelLoadException("serving.yaml instances must be >= 1");
            }
            return layout(serving);
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException("serving.yaml: " + e.getMessage());
        }
    }

    /** Sessions and threads for this model: serving.yaml's, else the server's, else chosen from the cores. */
    private ExecutionLayout layout(ServingConfig serving) {
        int instances = serving.instances() != null ? serving.instances() : defaults.instances();
        Integer threads = serving.onnx() == null ? null : serving.onnx().intraOpThreads();
        return ExecutionLayout.choose(
                Runtime.getRuntime().availableProcessors(),
                instances,
                threads != null ? threads : defaults.onnx().intraOpThreads());
    }

    /** What /v1/models shows of how the model runs. */
    private ServedModel.Execution execution(ServingConfig serving, ExecutionLayout layout) throws ModelLoadException {
        if (serving.backend() == BackendKind.TORCHSCRIPT) {
            return new ServedModel.Execution(layout.instances(), null, null, null);
        }
        OnnxSessionSettings settings = onnxSettings(serving.onnx(), layout);
        return new ServedModel.Execution(
                layout.instances(), settings.intraOpThreads(), settings.interOpThreads(), settings.spinning());
    }

    private Backend openBackend(ModelFiles files, ServingConfig serving, ExecutionLayout layout)
            throws ModelLoadException {
        BackendKind backend = serving.backend() == null ? BackendKind.ONNX : serving.backend();
        Device device = serving.device() == null ? defaults.device() : serving.device();
        return switch (backend) {
            case ONNX -> {
                Path model = files.versionFolder().resolve("model.onnx");
                for (String optimum : new String[] {
                    "encoder_model.onnx", "decoder_model_merged.onnx", OcrStages.DETECTOR + "/model.onnx"
                }) {
                    // optimum's exports: a seq2seq model's encoder (its decoders come later), or a merged decoder;
                    // an OCR folder's detector (its recogniser comes later)
                    if (!Files.isRegularFile(model)
                            && Files.isRegularFile(files.versionFolder().resolve(optimum))) {
                        model = files.versionFolder().resolve(optimum);
                    }
                }
                if (!Files.isRegularFile(model)) {
                    throw new ModelLoadException(
                            Files.isRegularFile(files.versionFolder().resolve("model.pt"))
                                    ? "model.pt (TorchScript) is served with backend: torchscript and trust: true in serving.yaml"
                                    : "no model artifact: expected model.onnx in the model folder");
                }
                if (serving.torchscript() != null) {
                    throw new ModelLoadException("serving.yaml torchscript: applies only to backend: torchscript");
                }
                yield OnnxBackend.open(model, device, onnxSettings(serving.onnx(), layout));
            }
            case TORCHSCRIPT -> openTorchScript(files, serving, device);
        };
    }

    /** Another ONNX file of the model's folder (a seq2seq model's decoders), with the model's device and session settings. */
    private Backend openOnnxFile(ModelFiles files, String file, ServingConfig serving, ExecutionLayout layout)
            throws ModelLoadException {
        Path model = files.versionFolder().resolve(file);
        if (!Files.isRegularFile(model)) {
            throw new ModelLoadException("no " + file + " in the model folder");
        }
        Device device = serving.device() == null ? defaults.device() : serving.device();
        return OnnxBackend.open(model, device, onnxSettings(serving.onnx(), layout));
    }

    private Backend openTorchScript(ModelFiles files, ServingConfig serving, Device device) throws ModelLoadException {
        // A TorchScript archive embeds pickled data, and unpickling can run code: load one only
        // where the model's owner says it is trusted, never because a file happens to be there.
        if (!Boolean.TRUE.equals(serving.trust())) {
            throw new ModelLoadException(
                    "backend: torchscript loads a pickle-based archive that can run code when loaded; "
                            + "set trust: true in serving.yaml for models from a trusted source");
        }
        Path model = files.versionFolder().resolve("model.pt");
        if (!Files.isRegularFile(model)) {
            throw new ModelLoadException("no model artifact: backend torchscript expects model.pt in the model folder");
        }
        if (serving.onnx() != null) {
            throw new ModelLoadException("serving.yaml onnx: settings do not apply to backend: torchscript");
        }
        ServingConfig.Torchscript declared =
                serving.torchscript() == null ? new ServingConfig.Torchscript(null, null) : serving.torchscript();
        return TorchScriptBackend.open(
                model,
                device,
                DeclaredTensors.of(declared.inputs(), "torchscript.inputs"),
                DeclaredTensors.of(declared.outputs(), "torchscript.outputs"),
                defaults.torch());
    }

    /** The server's session defaults, overridden by serving.yaml's onnx: block, with the layout's threads. */
    private OnnxSessionSettings onnxSettings(ServingConfig.Onnx onnx, ExecutionLayout layout)
            throws ModelLoadException {
        OnnxSessionSettings base = defaults.onnx();
        if (onnx == null) {
            return new OnnxSessionSettings(
                    layout.intraOpThreads(), base.interOpThreads(), base.spinning(), base.optimizationLevel());
        }
        try {
            return new OnnxSessionSettings(
                    layout.intraOpThreads(),
                    onnx.interOpThreads() != null ? onnx.interOpThreads() : base.interOpThreads(),
                    onnx.spinning() != null ? onnx.spinning() : base.spinning(),
                    onnx.optimizationLevel() != null ? onnx.optimizationLevel() : base.optimizationLevel());
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException("serving.yaml onnx: " + e.getMessage());
        }
    }

    private static DetectionSettings detection(ServingConfig.Detection d) {
        List<DetectionSettings.AnchorHead> heads = d.heads() == null
                ? List.of()
                : d.heads().stream()
                        .map(h -> new DetectionSettings.AnchorHead(
                                h.cells() == null ? 0 : h.cells(),
                                h.anchorsPerCell() == null ? 0 : h.anchorsPerCell(),
                                h.scores(),
                                h.boxes()))
                        .toList();
        return new DetectionSettings(d.family(), d.inputSize(), heads);
    }

    private static EmbeddingSettings embedding(ServingConfig.Embedding e) {
        if (e == null) {
            return EmbeddingSettings.NONE;
        }
        return new EmbeddingSettings(
                e.prompts() == null ? Map.of() : e.prompts(),
                Optional.ofNullable(e.defaultPromptName()),
                Boolean.TRUE.equals(e.matryoshka()));
    }

    private TaskSettings taskSettings(ServingConfig serving) {
        return new TaskSettings(
                Optional.ofNullable(serving.labels()),
                serving.maxTokens() == null ? OptionalInt.empty() : OptionalInt.of(serving.maxTokens()),
                serving.parameters(),
                defaults.maxImagePixels(),
                Optional.ofNullable(serving.detection()).map(ModelLoader::detection),
                defaults.audio(),
                embedding(serving.embedding()),
                defaults.maxItems());
    }
}
