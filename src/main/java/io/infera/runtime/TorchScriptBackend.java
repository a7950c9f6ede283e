package io.infera.runtime;

import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.JniUtils;
import io.infera.errors.BackendException;
import io.infera.errors.ModelLoadException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A TorchScript module ({@code model.pt} from {@code torch.jit.trace} or {@code torch.jit.script})
 * run by libtorch through DJL's PyTorch engine. TorchScript keeps no tensor names, so the inputs
 * and outputs are declared in serving.yaml: inputs in the order of {@code forward}'s parameters,
 * outputs in the order of the returned tuple (or by key when it returns a dict).
 */
public final class TorchScriptBackend implements Backend {

    private final PtNDManager manager;
    private final PtSymbolBlock module;
    private final Device device;
    private final List<TensorSpec> inputs;
    private final List<TensorSpec> outputs;

    private TorchScriptBackend(
            PtNDManager manager,
            PtSymbolBlock module,
            Device device,
            List<TensorSpec> inputs,
            List<TensorSpec> outputs) {
        this.manager = manager;
        this.module = module;
        this.device = device;
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
    }

    /**
     * Loads a TorchScript archive. The archive holds pickled data that can run code when loaded:
     * callers load only what a model's owner marked as trusted.
     */
    public static TorchScriptBackend open(
            Path model, Device device, List<TensorSpec> inputs, List<TensorSpec> outputs, TorchSettings settings)
            throws ModelLoadException {
        for (TensorSpec spec : inputs) {
            if (TorchTensors.torchType(spec.type()).isEmpty()) {
                throw new ModelLoadException(
                        "TorchScript input " + spec.name() + ": libtorch has no " + spec.type() + " tensors");
            }
        }
        Engine engine = TorchRuntime.engine(settings);
        if (device.kind() == Device.Kind.CUDA
                && (!engine.hasCapability(StandardCapabilities.CUDA) || engine.getGpuCount() <= device.index())) {
            throw new ModelLoadException("device " + device + " requested, but libtorch here has "
                    + (engine.hasCapability(StandardCapabilities.CUDA)
                            ? engine.getGpuCount() + " GPU(s)"
                            : "no CUDA (the CPU natives are loaded; see README, TorchScript on CUDA)")
                    + "; or set device: cpu");
        }
        ai.djl.Device target =
                device.kind() == Device.Kind.CPU ? ai.djl.Device.cpu() : ai.djl.Device.gpu(device.index());
        PtNDManager manager = (PtNDManager) engine.newBaseManager(target);
        try {
            PtSymbolBlock module = JniUtils.loadModule(manager, model, true, new String[0], new String[0], false);
            JniUtils.enableInferenceMode(module);
            return new TorchScriptBackend(manager, module, device, inputs, outputs);
        } catch (RuntimeException e) {
            manager.close();
            // libtorch quotes the full path and a C++ backtrace; clients see the reason, so keep its first line.
            String message = LoadErrors.clean(e.getMessage(), model);
            throw new ModelLoadException(
                    "libtorch cannot load " + model.getFileName() + ": "
                            + message.lines().findFirst().orElse(""),
                    e);
        }
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
        checkFeeds(feeds);
        // Grad mode is thread-local in libtorch; serving threads never need autograd.
        JniUtils.setGradMode(false);
        try (NDManager scope = manager.newSubManager()) {
            IValue[] arguments = new IValue[inputs.size()];
            try {
                for (int i = 0; i < arguments.length; i++) {
                    arguments[i] = IValue.from(
                            TorchTensors.toTorch(scope, feeds.get(inputs.get(i).name())));
                }
                try (IValue result = module.forward(arguments)) {
                    Map<String, Tensor> all = readOutputs(result, (PtNDManager) scope);
                    if (wanted.isEmpty()) {
                        return all;
                    }
                    Map<String, Tensor> selected = new LinkedHashMap<>();
                    for (String name : wanted) {
                        Tensor tensor = all.get(name);
                        if (tensor == null) {
                            throw new BackendException("TorchScript model has no output " + name);
                        }
                        selected.put(name, tensor);
                    }
                    return selected;
                }
            } finally {
                for (IValue argument : arguments) {
                    if (argument != null) {
                        argument.close();
                    }
                }
            }
        } catch (BackendException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new BackendException(
                    "libtorch failed to run the model: "
                            + String.valueOf(e.getMessage()).lines().findFirst().orElse(""),
                    e);
        }
    }

    private void checkFeeds(Map<String, Tensor> feeds) {
        for (TensorSpec spec : inputs) {
            Tensor feed = feeds.get(spec.name());
            if (feed == null) {
                throw new BackendException("TorchScript input " + spec.name() + " was not given");
            }
            if (feed.type() != spec.type() || !spec.accepts(feed.shape())) {
                throw new BackendException("TorchScript input " + spec.name() + " is declared " + spec.type()
                        + Arrays.toString(spec.shape()) + ", got " + feed.type() + Arrays.toString(feed.shape()));
            }
        }
        if (feeds.size() != inputs.size()) {
            List<String> extra = new ArrayList<>(feeds.keySet());
            extra.removeAll(inputs.stream().map(TensorSpec::name).toList());
            throw new BackendException("TorchScript model has no inputs " + extra);
        }
    }

    /** The module's result (a tensor, a tuple or list of tensors, or a dict of them) by declared output name. */
    private Map<String, Tensor> readOutputs(IValue result, PtNDManager scope) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        if (result.isTensor()) {
            requireCount(1);
            out.put(outputs.getFirst().name(), checked(outputs.getFirst(), result.toTensor(scope)));
        } else if (result.isTensorList()) {
            PtNDArray[] arrays = result.toTensorArray(scope);
            requireCount(arrays.length);
            for (int i = 0; i < arrays.length; i++) {
                out.put(outputs.get(i).name(), checked(outputs.get(i), arrays[i]));
            }
        } else if (result.isTuple() || result.isList()) {
            IValue[] values = result.isTuple() ? result.toIValueTuple() : result.toIValueArray();
            try {
                requireCount(values.length);
                for (int i = 0; i < values.length; i++) {
                    out.put(outputs.get(i).name(), checked(outputs.get(i), tensorOf(values[i], "output " + i, scope)));
                }
            } finally {
                Arrays.stream(values).forEach(IValue::close);
            }
        } else if (result.isMap()) {
            Map<String, IValue> values = result.toIValueMap();
            try {
                for (TensorSpec spec : outputs) {
                    IValue value = values.get(spec.name());
                    if (value == null) {
                        throw new BackendException("TorchScript module returned a dict without key " + spec.name()
                                + " (keys: " + values.keySet() + ")");
                    }
                    out.put(spec.name(), checked(spec, tensorOf(value, "output " + spec.name(), scope)));
                }
            } finally {
                values.values().forEach(IValue::close);
            }
        } else {
            throw new BackendException("TorchScript module returned a " + result.getType() + "; expected tensors");
        }
        return out;
    }

    private void requireCount(int returned) {
        if (returned != outputs.size()) {
            throw new BackendException("TorchScript module returned " + returned + " tensor(s), serving.yaml declares "
                    + outputs.size() + " outputs");
        }
    }

    private static PtNDArray tensorOf(IValue value, String what, PtNDManager scope) {
        if (!value.isTensor()) {
            throw new BackendException("TorchScript module " + what + " is a " + value.getType() + ", not a tensor");
        }
        return value.toTensor(scope);
    }

    private static Tensor checked(TensorSpec spec, PtNDArray array) {
        Tensor tensor = TorchTensors.fromTorch(array, spec.name());
        if (tensor.type() != spec.type() || !spec.accepts(tensor.shape())) {
            throw new BackendException(
                    "TorchScript output " + spec.name() + " is " + tensor.type() + Arrays.toString(tensor.shape())
                            + ", serving.yaml declares " + spec.type() + Arrays.toString(spec.shape()));
        }
        return tensor;
    }

    @Override
    public String runtimeName() {
        return "torchscript";
    }

    @Override
    public Device device() {
        return device;
    }

    @Override
    public void close() {
        module.close();
        manager.close();
    }
}
