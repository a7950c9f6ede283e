package io.infera.tasks;

import io.infera.errors.ModelLoadException;
import io.infera.processing.Labels;
import io.infera.runtime.TensorSpec;
import java.util.List;

/**
 * The logits output of a classifier and the labels that name its columns: serving.yaml's labels,
 * else config.json's id2label, else LABEL_0... sized by the output.
 */
public record ClassifierOutput(String name, Labels labels) {

    public static ClassifierOutput find(TaskContext context) throws ModelLoadException {
        TensorSpec logits = context.output("logits").orElse(context.outputs().size() == 1 ? context.outputs().getFirst() : null);
        if (logits == null) {
            throw new ModelLoadException("a classifier needs an output named logits; the model has "
                    + context.outputs().stream().map(TensorSpec::name).toList());
        }
        if (logits.rank() != 2) {
            throw new ModelLoadException("classifier output " + logits.name() + " must be [batch, labels], is rank " + logits.rank());
        }
        long width = logits.shape()[1];
        Labels labels;
        if (context.settings().labels().isPresent()) {
            labels = new Labels(context.settings().labels().get());
        } else {
            try {
                labels = context.config().labels().orElse(null);
            } catch (IllegalArgumentException e) {
                throw new ModelLoadException(e.getMessage());
            }
            if (labels == null) {
                if (width < 1) {
                    throw new ModelLoadException("no labels: config.json has no id2label and the output width is not fixed");
                }
                labels = Labels.generic((int) width);
            }
        }
        if (width >= 1 && width != labels.size()) {
            throw new ModelLoadException("output " + logits.name() + " has " + width + " columns but " + labels.size() + " labels are named");
        }
        return new ClassifierOutput(logits.name(), labels);
    }

    public List<String> names() {
        return labels.names();
    }
}
