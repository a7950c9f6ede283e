package io.infera.tasks.textclassification;

import io.infera.errors.ModelLoadException;
import io.infera.runtime.Tensor;
import io.infera.tasks.ClassificationParameters;
import io.infera.tasks.ClassifierHead;
import io.infera.tasks.Parameters;
import io.infera.tasks.Preprocessed;
import io.infera.tasks.TaskContext;
import io.infera.tasks.TaskInput;
import io.infera.tasks.TaskType;
import io.infera.tasks.TextEncoder;
import io.infera.tasks.TextEncoders;
import io.infera.tasks.TextItem;
import io.infera.tasks.TextTask;
import java.util.List;
import java.util.Map;

/**
 * Sequence classification of a text or a {@code {text, text_pair}} pair: the transformers
 * text-classification pipeline's answer, a best-first list of {label, score} (one by default).
 */
public final class TextClassificationTask implements TextTask<ClassificationParameters, Void> {

    private static final int DEFAULT_TOP_K = 1;

    private final TextEncoder encoder;
    private final ClassifierHead head;

    private TextClassificationTask(TextEncoder encoder, ClassifierHead head) {
        this.encoder = encoder;
        this.head = head;
    }

    public static TextClassificationTask create(TaskContext context) throws ModelLoadException {
        return new TextClassificationTask(TextEncoders.load(context), ClassifierHead.find(context));
    }

    @Override
    public TaskType type() {
        return TaskType.TEXT_CLASSIFICATION;
    }

    @Override
    public ClassificationParameters parameters(Parameters p) {
        return head.parameters(p, DEFAULT_TOP_K);
    }

    @Override
    public Preprocessed<Void> preprocess(TaskInput input, ClassificationParameters parameters) {
        TextItem item = TextItem.from(input);
        return Preprocessed.single(encoder.encode(item.text(), item.pair()).row(), null);
    }

    @Override
    public Object postprocess(Void context, List<Map<String, Tensor>> outputs, ClassificationParameters parameters) {
        return head.rank(outputs.getFirst(), parameters);
    }

    @Override
    public TextEncoder encoder() {
        return encoder;
    }
}
