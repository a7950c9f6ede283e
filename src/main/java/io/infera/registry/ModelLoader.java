package io.infera.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infera.batching.BatchingMode;
import io.infera.batching.BatchingPolicy;
import io.infera.batching.DynamicBatcher;
import io.infera.errors.ModelLoadException;
import io.infera.runtime.Backend;
import io.infera.runtime.BackendKind;
import io.infera.runtime.BatchCoupling;
import io.infera.runtime.Device;
import io.infera.runtime.OnnxBackend;
import io.infera.runtime.OnnxSessionSettings;
import io.infera.runtime.TorchScriptBackend;
import io.infera.runtime.UnbatchedBackend;
import io.infera.tasks.HfConfig;
import io.infera.tasks.ModelFiles;
import io.infera.tasks.Pipeline;
import io.infera.tasks.TaskPipeline;
import io.infera.tasks.Task;
import io.infera.tasks.TaskContext;
import io.infera.tasks.DetectionSettings;
import io.infera.tasks.TaskSettings;
import io.infera.tasks.TaskType;
import io.infera.tasks.Tasks;
import io.infera.tasks.ocr.OcrPipeline;
import io.infera.tasks.ocr.OcrStages;
import io.infera.tasks.textgeneration.Text2TextGenerationPipeline;
import io.infera.tasks.textgeneration.TextGenerationPipeline;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

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

    public ServedModel load(String name, Path folder) throws ModelLoadException {
        ServingConfig serving = servingConfig(folder);
        ModelVersions.Selected version = ModelVersions.select(folder, serving.version());
        ModelFiles files = new ModelFiles(version.folder(), folder);
        HfConfig config = HfConfig.read(files, json);
        Optional<TaskType> taskType;
        try {
            taskType = TaskResolver.resolve(serving, config, files);
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(e.getMessage());
        }
        BatchingPolicy policy = BatchingSettings.policy(defaults.batching(), serving.batching());
        List<Backend> instances = new ArrayList<>();
        Task<?, ?> task = null;
        Pipeline generation = null;
        OcrStages ocr = null;
        BatchingMode mode;
        ExecutionLayout layout;
        try {
            if (serving.instances() != null && serving.instances() < 1) {
                throw new ModelLoadException("serving.yaml instances must be >= 1");
            }
            layout = layout(serving);
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException("serving.yaml: " + e.getMessage());
        }
        int count = layout.instances();
        try {
            for (int i = 0; i < count; i++) {
                Backend opened = openBackend(files, serving, layout);
                instances.add(Boolean.TRUE.equals(serving.unbatched()) ? new UnbatchedBackend(opened) : opened);
            }
            Backend backend = instances.getFirst();
            mode = batchingMode(serving, backend);
            if (!mode.equals(BatchingMode.DYNAMIC)) {
                // No batch axis to stack rows on, or rows that would change each other's answers: one row per run.
                policy = new BatchingPolicy(1, policy.maxQueueDelayNanos(), policy.maxQueueSize(), new int[0], 0,
                        policy.buckets(), policy.reorderWindow());
            }
            if (taskType.isPresent()) {
                TaskContext context = new TaskContext(name, files, config, taskSettings(serving),
                        backend.inputs(), backend.outputs(), json);
                if (taskType.get() == TaskType.TEXT_GENERATION) {
                    generation = TextGenerationPipeline.load(context, backend, defaults.generation(), defaults.maxNewTokens(),
                            defaults.maxTextChars(), observers.generation(name));
                } else if (taskType.get() == TaskType.TEXT2TEXT_GENERATION) {
                    generation = Text2TextGenerationPipeline.load(context, backend, file -> openOnnxFile(files, file, serving, layout),
                            defaults.generation(), defaults.maxNewTokens(), defaults.maxTextChars(), observers.generation(name));
                } else if (taskType.get() == TaskType.OCR) {
                    ocr = OcrStages.load(context, file -> openOnnxFile(files, file, serving, layout), count);
                } else {
                    task = Tasks.create(taskType.get(), context);
                }
            }
            if (serving.warmup() != null ? serving.warmup() : defaults.warmup()) {
                Warmup.run(task, instances, policy);
            }
        } catch (ModelLoadException | RuntimeException e) {
            if (task != null) {
                task.close();
            }
            if (generation != null) {
                generation.close(Duration.ZERO);
            }
            if (ocr != null) {
                ocr.recognizer().close();
                ocr.recognizerInstances().forEach(Backend::close);
            }
            instances.forEach(Backend::close);
            throw e;
        }
        String taskName = task != null ? task.type().wireName() : generation != null ? generation.taskType().wireName()
                : ocr != null ? TaskType.OCR.wireName() : "none";
        DynamicBatcher batcher = new DynamicBatcher(name, instances, policy,
                task == null ? Map.of() : task.padValues(), observers.batcher(name, taskName));
        observers.started(name, batcher);
        Pipeline pipeline = ocr != null ? ocrPipeline(name, ocr, batcher, policy, serving.parameters())
                : task == null ? generation
                : new TaskPipeline(task, batcher, serving.parameters(), defaults.maxTextChars(), observers.pipeline(name, taskName));
        return new ServedModel(name, version.name(), instances, batcher, task, pipeline,
                generation != null ? generation.batching().orElse(mode) : mode, serving.description(), execution(serving, layout));
    }

    /** The detector runs on the model's batcher; the recogniser gets one of its own, with the same policy. */
    private OcrPipeline ocrPipeline(String name, OcrStages ocr, DynamicBatcher detector, BatchingPolicy policy, JsonNode parameters) {
        Backend recognizer = ocr.recognizerInstances().getFirst();
        BatchingPolicy recognizerPolicy = BatchCoupling.of(recognizer.operators()).isEmpty() ? policy
                : new BatchingPolicy(1, policy.maxQueueDelayNanos(), policy.maxQueueSize(), new int[0], 0, policy.buckets(),
                        policy.reorderWindow());
        DynamicBatcher lines = new DynamicBatcher(name + "/" + OcrStages.RECOGNIZER, ocr.recognizerInstances(), recognizerPolicy,
                Map.of(), observers.batcher(name, TaskType.OCR.wireName()));
        return new OcrPipeline(ocr, detector, lines, parameters, () -> {
            lines.close();
            ocr.recognizerInstances().forEach(Backend::close);
        });
    }

    private static BatchingMode batchingMode(ServingConfig serving, Backend backend) {
        if (Boolean.TRUE.equals(serving.unbatched())) {
            return BatchingMode.UNBATCHED;
        }
        return BatchCoupling.of(backend.operators()).map(BatchingMode::rowsSeparately).orElse(BatchingMode.DYNAMIC);
    }

    private ServingConfig servingConfig(Path folder) throws ModelLoadException {
        Path file = folder.resolve("serving.yaml");
        return Files.isRegularFile(file) ? ServingConfig.read(file) : ServingConfig.EMPTY;
    }

    /** Sessions and threads for this model: serving.yaml's, else the server's, else chosen from the cores. */
    private ExecutionLayout layout(ServingConfig serving) {
        int instances = serving.instances() != null ? serving.instances() : defaults.instances();
        Integer threads = serving.onnx() == null ? null : serving.onnx().intraOpThreads();
        return ExecutionLayout.choose(Runtime.getRuntime().availableProcessors(), instances,
                threads != null ? threads : defaults.onnx().intraOpThreads());
    }

    /** What /v1/models shows of how the model runs. */
    private ServedModel.Execution execution(ServingConfig serving, ExecutionLayout layout) throws ModelLoadException {
        if (serving.backend() == BackendKind.TORCHSCRIPT) {
            return new ServedModel.Execution(layout.instances(), null, null, null);
        }
        OnnxSessionSettings settings = onnxSettings(serving.onnx(), layout);
        return new ServedModel.Execution(layout.instances(), settings.intraOpThreads(), settings.interOpThreads(), settings.spinning());
    }

    private Backend openBackend(ModelFiles files, ServingConfig serving, ExecutionLayout layout) throws ModelLoadException {
        BackendKind backend = serving.backend() == null ? BackendKind.ONNX : serving.backend();
        Device device = serving.device() == null ? defaults.device() : serving.device();
        return switch (backend) {
            case ONNX -> {
                Path model = files.versionFolder().resolve("model.onnx");
                for (String optimum : new String[] {"encoder_model.onnx", "decoder_model_merged.onnx", OcrStages.DETECTOR + "/model.onnx"}) {
                    // optimum's exports: a seq2seq model's encoder (its decoders come later), or a merged decoder;
                    // an OCR folder's detector (its recogniser comes later)
                    if (!Files.isRegularFile(model) && Files.isRegularFile(files.versionFolder().resolve(optimum))) {
                        model = files.versionFolder().resolve(optimum);
                    }
                }
                if (!Files.isRegularFile(model)) {
                    throw new ModelLoadException(Files.isRegularFile(files.versionFolder().resolve("model.pt"))
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
            throw new ModelLoadException("backend: torchscript loads a pickle-based archive that can run code when loaded; "
                    + "set trust: true in serving.yaml for models from a trusted source");
        }
        Path model = files.versionFolder().resolve("model.pt");
        if (!Files.isRegularFile(model)) {
            throw new ModelLoadException("no model artifact: backend torchscript expects model.pt in the model folder");
        }
        if (serving.onnx() != null) {
            throw new ModelLoadException("serving.yaml onnx: settings do not apply to backend: torchscript");
        }
        ServingConfig.Torchscript declared = serving.torchscript() == null
                ? new ServingConfig.Torchscript(null, null) : serving.torchscript();
        return TorchScriptBackend.open(model, device, DeclaredTensors.of(declared.inputs(), "torchscript.inputs"),
                DeclaredTensors.of(declared.outputs(), "torchscript.outputs"), defaults.torch());
    }

    /** The server's session defaults, overridden by serving.yaml's onnx: block, with the layout's threads. */
    private OnnxSessionSettings onnxSettings(ServingConfig.Onnx onnx, ExecutionLayout layout) throws ModelLoadException {
        OnnxSessionSettings base = defaults.onnx();
        if (onnx == null) {
            return new OnnxSessionSettings(layout.intraOpThreads(), base.interOpThreads(), base.spinning(), base.optimizationLevel());
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
        List<DetectionSettings.AnchorHead> heads = d.heads() == null ? List.of() : d.heads().stream()
                .map(h -> new DetectionSettings.AnchorHead(h.cells() == null ? 0 : h.cells(),
                        h.anchorsPerCell() == null ? 0 : h.anchorsPerCell(), h.scores(), h.boxes()))
                .toList();
        return new DetectionSettings(d.family(), d.inputSize(), heads);
    }

    private TaskSettings taskSettings(ServingConfig serving) {
        return new TaskSettings(
                Optional.ofNullable(serving.labels()),
                serving.maxTokens() == null ? OptionalInt.empty() : OptionalInt.of(serving.maxTokens()),
                serving.parameters(),
                defaults.maxImagePixels(),
                Optional.ofNullable(serving.detection()).map(ModelLoader::detection),
                defaults.audio());
    }
}
