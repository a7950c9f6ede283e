package io.infera.tasks.imageclassification;

import io.infera.errors.ModelLoadException;
import io.infera.processing.LabelRanking;
import io.infera.processing.ScoreFunction;
import io.infera.runtime.Tensor;
import io.infera.tasks.ClassifierOutput;
import io.infera.tasks.ImageInputs;
import io.infera.tasks.Parameters;
import io.infera.tasks.Preprocessed;
import io.infera.tasks.Task;
import io.infera.tasks.TaskContext;
import io.infera.tasks.TaskInput;
import io.infera.tasks.TaskType;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/** Image classification: the transformers image-classification pipeline's best-first {label, score} list. */
public final class ImageClassificationTask implements Task<ImageClassificationParameters, Void> {

    private static final int DEFAULT_TOP_K = 5;

    private final ImageInputs images;
    private final ClassifierOutput output;
    private final ScoreFunction defaultFunction;

    private ImageClassificationTask(ImageInputs images, ClassifierOutput output, ScoreFunction defaultFunction) {
        this.images = images;
        this.output = output;
        this.defaultFunction = defaultFunction;
    }

    public static ImageClassificationTask create(TaskContext context) throws ModelLoadException {
        ClassifierOutput output = ClassifierOutput.find(context);
        ScoreFunction function = ScoreFunction.defaultFor(context.config().problemType().orElse(null), output.labels().size());
        return new ImageClassificationTask(ImageInputs.load(context), output, function);
    }

    @Override
    public TaskType type() {
        return TaskType.IMAGE_CLASSIFICATION;
    }

    @Override
    public ImageClassificationParameters parameters(Parameters p) {
        return new ImageClassificationParameters(
                p.count("top_k", OptionalInt.of(DEFAULT_TOP_K)),
                p.choice("function_to_apply", ScoreFunction.class, defaultFunction));
    }

    @Override
    public Preprocessed<Void> preprocess(TaskInput input, ImageClassificationParameters parameters) {
        Tensor pixels = images.pixelValues(images.decode(input));
        return Preprocessed.single(Map.of(ImageInputs.PIXEL_VALUES, pixels), null);
    }

    @Override
    public Object postprocess(Void context, List<Map<String, Tensor>> outputs, ImageClassificationParameters parameters) {
        float[] logits = outputs.getFirst().get(output.name()).toFloats();
        return LabelRanking.rank(logits, parameters.function(), output.labels(), parameters.topK());
    }
}
