package io.infera.tasks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.infera.runtime.TensorSpec;
import java.util.List;
import java.util.Optional;

/**
 * Everything a task may read when it is built for a model: the model's files (tokenizer and
 * processor files), its config.json, its settings, the tensors its backend declares, and the
 * observer its inputs and answers are reported to (monitoring).
 */
public record TaskContext(
        String modelName,
        ModelFiles files,
        HfConfig config,
        TaskSettings settings,
        List<TensorSpec> inputs,
        List<TensorSpec> outputs,
        ObjectMapper json,
        PipelineObserver observer) {

    public Optional<TensorSpec> input(String name) {
        return inputs.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public Optional<TensorSpec> output(String name) {
        return outputs.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
