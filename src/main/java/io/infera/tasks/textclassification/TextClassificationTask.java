package io.infera.tasks.textclassification;

import io.infera.errors.ModelLoadException;
import io.infera.processing.LabelRanking;
import io.infera.processing.ScoreFunction;
import io.infera.processing.text.TextEncoder;
import io.infera.runtime.Tensor;
import io.infera.tasks.ClassifierOutput;
import io.infera.tasks.Parameters;
import io.infera.tasks.Preprocessed;
import io.infera.tasks.Task;
import io.infera.tasks.TaskContext;
import io.infera.tasks.TaskInput;
import io.infera.tasks.TaskType;
import io.infera.tasks.TextEncoders;
import io.infera.tasks.TextItem;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Sequence classification of a text or a {@code {text, text_pair}} pair: the transformers
 * text-classification pipeline's answer, a best-first list of {label, score}.
 */
public final class TextClassificationTask implements Task<TextClassificationParameters, Void> {

    private final TextEncoder encoder;
    private final ClassifierOutput output;
    private final ScoreFunction defaultFunction;

    private TextClassificationTask(TextEncoder encoder, ClassifierOutput output, ScoreFunction defaultFunction) {
        this.encoder = encoder;
        this.output = output;
        this.defaultFunction = defaultFunction;
    }

    public static TextClassificationTask create(TaskContext context) throws ModelLoadException {
        ClassifierOutput output = ClassifierOutput.find(context);
        ScoreFunction function = ScoreFunction.defaultFor(context.config().problemType().orElse(null), output.labels().size());
        return new TextClassificationTask(TextEncoders.load(context), output, function);
    }

    @Override
    public TaskType type() {
        return TaskType.TEXT_CLASSIFICATION;
    }

    @Override
    public TextClassificationParameters parameters(Parameters p) {
        return new TextClassificationParameters(
                p.count("top_k", OptionalInt.of(1)),
                p.choice("function_to_apply", ScoreFunction.class, defaultFunction));
    }

    @Override
    public Preprocessed<Void> preprocess(TaskInput input, TextClassificationParameters parameters) {
        TextItem item = TextItem.from(input);
        return Preprocessed.single(encoder.encode(item.text(), item.pair()).row(), null);
    }

    @Override
    public Object postprocess(Void context, List<Map<String, Tensor>> outputs, TextClassificationParameters parameters) {
        float[] logits = outputs.getFirst().get(output.name()).toFloats();
        return LabelRanking.rank(logits, parameters.function(), output.labels(), parameters.topK());
    }

    @Override
    public Map<String, Number> padValues() {
        return encoder.padValues();
    }

    @Override
    public void close() {
        encoder.close();
    }
}
