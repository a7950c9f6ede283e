package io.infera.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.infera.errors.BackendException;
import io.infera.errors.DeadlineExceededException;
import io.infera.errors.ModelLoadException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/** A model run by ONNX Runtime on the CPU or, in the {@code -Pcuda} build, on a CUDA GPU. */
public final class OnnxBackend implements Backend {

    private static final Logger LOG = Logger.getLogger(OnnxBackend.class);
    private static final AtomicBoolean NATIVES_LOGGED = new AtomicBoolean();

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final Device device;
    private final List<TensorSpec> inputs;
    private final List<TensorSpec> outputs;
    private final Set<String> operators;

    private OnnxBackend(OrtEnvironment environment, OrtSession session, Device device, Set<String> operators)
            throws OrtException {
        this.environment = environment;
        this.session = session;
        this.device = device;
        this.inputs = specs(session.getInputInfo());
        this.outputs = specs(session.getOutputInfo());
        this.operators = Set.copyOf(operators);
    }

    /**
     * Opens an ONNX model. Asking for CUDA where this ONNX Runtime build has no CUDA provider fails
     * the load: a model configured for a GPU never silently runs on the CPU.
     */
    public static OnnxBackend open(Path model, Device device, OnnxSessionSettings settings) throws ModelLoadException {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        OrtShutdownHook.remove(environment);
        if (NATIVES_LOGGED.compareAndSet(false, true)) {
            // which native build runs matters for speed: a deployment may bring its own (onnxruntime.native.path)
            LOG.infof(
                    "ONNX Runtime native library %s, from %s",
                    environment.getVersion(), System.getProperty("onnxruntime.native.path", "the onnxruntime jar"));
        }
        try (OrtSession.SessionOptions options = sessionOptions(environment, device, settings)) {
            OrtSession session = environment.createSession(model.toString(), options);
            try {
                return new OnnxBackend(environment, session, device, operators(model));
            } catch (OrtException | ModelLoadRuntimeException e) {
                session.close();
                throw e;
            }
        } catch (OrtException e) {
            // ONNX Runtime quotes full paths and its sources; the reason is shown to clients.
            String message = LoadErrors.clean(e.getMessage(), model);
            throw new ModelLoadException("ONNX Runtime cannot load " + model.getFileName() + ": " + message, e);
        } catch (ModelLoadRuntimeException e) {
            throw new ModelLoadException(e.getMessage());
        }
    }

    private static OrtSession.SessionOptions sessionOptions(
            OrtEnvironment environment, Device device, OnnxSessionSettings settings)
            throws OrtException, ModelLoadException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setIntraOpNumThreads(settings.intraOpThreads());
            options.setInterOpNumThreads(settings.interOpThreads());
            options.addConfigEntry("session.intra_op.allow_spinning", settings.spinning() ? "1" : "0");
            options.addConfigEntry("session.inter_op.allow_spinning", settings.spinning() ? "1" : "0");
            options.setOptimizationLevel(
                    switch (settings.optimizationLevel()) {
                        case NONE -> OrtSession.SessionOptions.OptLevel.NO_OPT;
                        case BASIC -> OrtSession.SessionOptions.OptLevel.BASIC_OPT;
                        case EXTENDED -> OrtSession.SessionOptions.OptLevel.EXTENDED_OPT;
                        case ALL -> OrtSession.SessionOptions.OptLevel.ALL_OPT;
                    });
            if (device.kind() == Device.Kind.CUDA) {
                if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
                    throw new ModelLoadException("device " + device + " requested, but this ONNX Runtime build has no "
                            + "CUDA execution provider; build Infera with -Pcuda (onnxruntime_gpu, CUDA 12) "
                            + "or set device: cpu");
                }
                try {
                    options.addCUDA(device.index());
                } catch (OrtException e) {
                    throw new ModelLoadException(
                            "CUDA execution provider for " + device + " failed to start: " + e.getMessage(), e);
                }
            }
            return options;
        } catch (OrtException | ModelLoadException | RuntimeException e) {
            options.close();
            throw e;
        }
    }

    /** The graph's operator types; ONNX Runtime has just parsed the same file, so it is well formed. */
    private static Set<String> operators(Path model) {
        try {
            return OnnxOperators.of(model);
        } catch (java.io.IOException e) {
            throw new ModelLoadRuntimeException(
                    "the graph's operators cannot be read from " + model.getFileName() + ": " + e.getMessage());
        }
    }

    private static List<TensorSpec> specs(Map<String, NodeInfo> infos) {
        List<TensorSpec> specs = new ArrayList<>();
        for (NodeInfo node : infos.values()) {
            if (!(node.getInfo() instanceof TensorInfo info)) {
                throw new ModelLoadRuntimeException("model value " + node.getName() + " is not a tensor ("
                        + node.getInfo() + "); only tensor inputs and outputs are served");
            }
            DataType type = OnnxTensors.dataType(info.type)
                    .orElseThrow(() -> new ModelLoadRuntimeException(
                            "model value " + node.getName() + " has unsupported element type " + info.type));
            specs.add(new TensorSpec(node.getName(), type, info.getShape()));
        }
        return List.copyOf(specs);
    }

    @Override
    public List<TensorSpec> inputs() {
        return inputs;
    }

    @Override
    public List<TensorSpec> outputs() {
        return outputs;
    }

    @Override
    public Map<String, Tensor> run(Map<String, Tensor> feeds, List<String> wanted) {
        return run(feeds, wanted, Long.MAX_VALUE);
    }

    /**
     * Runs with ONNX Runtime's terminate flag set at the deadline: the run stops at its next
     * operator (loop iterations included) and the session stays usable.
     */
    @Override
    public Map<String, Tensor> run(Map<String, Tensor> feeds, List<String> wanted, long deadlineNanos) {
        if (deadlineNanos == Long.MAX_VALUE) {
            return run(feeds, wanted, (OrtSession.RunOptions) null);
        }
        try (OrtSession.RunOptions options = new OrtSession.RunOptions()) {
            ScheduledFuture<?> stop = Terminator.INSTANCE.schedule(
                    () -> {
                        try {
                            options.setTerminate(true);
                        } catch (OrtException e) {
                            // the run ends on its own
                        }
                    },
                    Math.max(0, deadlineNanos - System.nanoTime()),
                    TimeUnit.NANOSECONDS);
            try {
                return run(feeds, wanted, options);
            } catch (BackendException e) {
                if (System.nanoTime() - deadlineNanos >= 0
                        && String.valueOf(e.getMessage()).contains("terminate flag")) {
                    throw new DeadlineExceededException(
                            "the request's deadline passed while the model ran; the run was stopped");
                }
                throw e;
            } finally {
                stop.cancel(false);
            }
        } catch (OrtException e) {
            throw new BackendException("ONNX Runtime run options failed: " + e.getMessage(), e);
        }
    }

    /** One daemon thread that sets terminate flags at deadlines, for every session. */
    private static final class Terminator {
        static final ScheduledExecutorService INSTANCE = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("infera-ort-terminator").daemon().factory());
    }

    private Map<String, Tensor> run(Map<String, Tensor> feeds, List<String> wanted, OrtSession.RunOptions runOptions) {
        Map<String, OnnxTensor> onnxInputs = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Tensor> feed : feeds.entrySet()) {
                onnxInputs.put(feed.getKey(), OnnxTensors.toOnnx(environment, feed.getValue()));
            }
            List<String> names =
                    wanted.isEmpty() ? outputs.stream().map(TensorSpec::name).toList() : wanted;
            // Results own native memory: read them inside try-with-resources.
            try (OrtSession.Result result = runOptions == null
                    ? session.run(onnxInputs, new HashSet<>(names))
                    : session.run(onnxInputs, new HashSet<>(names), runOptions)) {
                Map<String, Tensor> out = new LinkedHashMap<>();
                for (String name : names) {
                    OnnxValue value = result.get(name).orElseThrow();
                    out.put(name, OnnxTensors.fromOnnx((OnnxTensor) value));
                }
                return out;
            }
        } catch (OrtException e) {
            throw new BackendException("ONNX Runtime failed to run the model: " + e.getMessage(), e);
        } finally {
            onnxInputs.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public Set<String> operators() {
        return operators;
    }

    @Override
    public String runtimeName() {
        return "onnxruntime";
    }

    @Override
    public Device device() {
        return device;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing ONNX Runtime session failed", e);
        }
    }

    /** Carries a load problem found while reading the session's metadata out of the constructor. */
    private static final class ModelLoadRuntimeException extends RuntimeException {
        ModelLoadRuntimeException(String message) {
            super(message);
        }
    }
}
