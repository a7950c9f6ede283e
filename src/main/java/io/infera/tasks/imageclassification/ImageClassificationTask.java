package io.infera.tasks.imageclassification;

import io.infera.batching.Row;
import io.infera.errors.ModelLoadException;
import io.infera.runtime.Tensor;
import io.infera.tasks.ClassificationParameters;
import io.infera.tasks.ClassifierHead;
import io.infera.tasks.ImageInputs;
import io.infera.tasks.Parameters;
import io.infera.tasks.Preprocessed;
import io.infera.tasks.Task;
import io.infera.tasks.TaskContext;
import io.infera.tasks.TaskInput;
import io.infera.tasks.TaskType;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Image classification: the transformers image-classification pipeline's best-first {label, score} list (five by default). */
public final class ImageClassificationTask implements Task<ClassificationParameters, Void> {

    private static final int DEFAULT_TOP_K = 5;

    private final ImageInputs images;
    private final ClassifierHead head;

    private ImageClassificationTask(ImageInputs images, ClassifierHead head) {
        this.images = images;
        this.head = head;
    }

    public static ImageClassificationTask create(TaskContext context) throws ModelLoadException {
        return new ImageClassificationTask(ImageInputs.load(context), ClassifierHead.find(context));
    }

    @Override
    public TaskType type() {
        return TaskType.IMAGE_CLASSIFICATION;
    }

    @Override
    public ClassificationParameters parameters(Parameters p) {
        return head.parameters(p, DEFAULT_TOP_K);
    }

    @Override
    public Preprocessed<Void> preprocess(TaskInput input, ClassificationParameters parameters) {
        Tensor pixels = images.pixelValues(images.decode(input), input.field());
        return Preprocessed.single(Row.unpadded(Map.of(images.inputName(), pixels)), null);
    }

    @Override
    public Optional<Row> warmupRow(int length) {
        return Optional.of(Row.unpadded(Map.of(images.inputName(), images.blankPixelValues())));
    }

    @Override
    public Object postprocess(Void context, List<Map<String, Tensor>> outputs, ClassificationParameters parameters) {
        return head.rank(outputs.getFirst(), parameters);
    }
}
