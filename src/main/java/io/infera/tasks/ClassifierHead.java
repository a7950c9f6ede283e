package io.infera.tasks;

import io.infera.errors.ModelLoadException;
import io.infera.processing.LabelRanking;
import io.infera.processing.LabelScore;
import io.infera.processing.Labels;
import io.infera.processing.ScoreFunction;
import io.infera.runtime.Tensor;
import io.infera.runtime.TensorSpec;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A classifier's logits output, the labels that name its columns (serving.yaml's labels, else
 * config.json's id2label, else LABEL_0...) and its default score function: the postprocessing
 * that text, image and audio classification share.
 */
public record ClassifierHead(String output, Labels labels, ScoreFunction defaultFunction) {

    public static ClassifierHead find(TaskContext context) throws ModelLoadException {
        TensorSpec logits = context.output("logits")
                .orElse(context.outputs().size() == 1 ? context.outputs().getFirst() : null);
        if (logits == null) {
            throw new ModelLoadException("a classifier needs an output named logits; the model has "
                    + context.outputs().stream().map(TensorSpec::name).toList());
        }
        if (logits.rank() != 2) {
            throw new ModelLoadException(
                    "classifier output " + logits.name() + " must be [batch, labels], is rank " + logits.rank());
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
                    throw new ModelLoadException(
                            "no labels: config.json has no id2label and the output width is not fixed");
                }
                labels = Labels.generic((int) width);
            }
        }
        if (width >= 1 && width != labels.size()) {
            throw new ModelLoadException("output " + logits.name() + " has " + width + " columns but " + labels.size()
                    + " labels are named");
        }
        ScoreFunction function =
                ScoreFunction.defaultFor(context.config().problemType().orElse(null), labels.size());
        return new ClassifierHead(logits.name(), labels, function);
    }

    /** Reads {@code top_k} and {@code function_to_apply}. */
    public ClassificationParameters parameters(Parameters p, int defaultTopK) {
        return parameters(p, OptionalInt.of(defaultTopK));
    }

    /** @param defaultTopK empty: every label unless the request asks for fewer */
    public ClassificationParameters parameters(Parameters p, OptionalInt defaultTopK) {
        return new ClassificationParameters(
                p.count("top_k", defaultTopK), p.choice("function_to_apply", ScoreFunction.class, defaultFunction));
    }

    /** The best-first labels of one row's logits. */
    public List<LabelScore> rank(Map<String, Tensor> row, ClassificationParameters parameters) {
        return LabelRanking.rank(row.get(output).toFloats(), parameters.function(), labels, parameters.topK());
    }
}
