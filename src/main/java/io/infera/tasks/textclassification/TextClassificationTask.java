package io.infera.tasks.textclassification;

import io.infera.batching.Row;
import io.infera.errors.ModelLoadException;
import io.infera.processing.text.TextEncoder;
import io.infera.runtime.Tensor;
import io.infera.tasks.ClassificationParameters;
import io.infera.tasks.ClassifierHead;
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
import java.util.Optional;

/**
 * Sequence classification of a text or a {@code {text, text_pair}} pair: the transformers
 * text-classification pipeline's answer, a best-first list of {label, score} (one by default).
 */
public final class TextClassificationTask implements Task<ClassificationParameters, Void> {

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
    public boolean readsText() {
        return true;
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
    public Optional<Row> warmupRow(int length) {
        return Optional.of(encoder.warmupRow(length));
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
