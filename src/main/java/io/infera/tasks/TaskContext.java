package io.infera.tasks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.infera.runtime.TensorSpec;
import java.util.List;
import java.util.Optional;

/**
 * Everything a task may read when it is built for a model: the model's files (tokenizer and
 * processor files), its config.json, its settings and the tensors its backend declares.
 */
public record TaskContext(
        String modelName,
        ModelFiles files,
        HfConfig config,
        TaskSettings settings,
        List<TensorSpec> inputs,
        List<TensorSpec> outputs,
        ObjectMapper json) {

    public Optional<TensorSpec> input(String name) {
        return inputs.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public Optional<TensorSpec> output(String name) {
        return outputs.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
