package io.infera.tasks.objectdetection;

import io.infera.batching.Row;
import io.infera.errors.ModelLoadException;
import io.infera.processing.Labels;
import io.infera.processing.image.RgbImage;
import io.infera.runtime.Tensor;
import io.infera.runtime.TensorSpec;
import io.infera.tasks.ImageInputs;
import io.infera.tasks.Parameters;
import io.infera.tasks.Preprocessed;
import io.infera.tasks.Task;
import io.infera.tasks.TaskContext;
import io.infera.tasks.TaskInput;
import io.infera.tasks.TaskType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Object detection as the transformers object-detection pipeline answers it: objects with a
 * score above {@code threshold}, their label and their box in pixels of the original image.
 * The output family is detected from the model's outputs; this build decodes set-prediction
 * models (DETR, YOLOS: {@code logits} + {@code pred_boxes}).
 */
public final class ObjectDetectionTask implements Task<DetectionParameters, ObjectDetectionTask.Size> {

    private static final float DEFAULT_THRESHOLD = 0.5f;

    private final ImageInputs images;
    private final SetPredictionDecoder decoder;
    private final boolean pixelMask;

    /** The original picture's size, which boxes are mapped back to. */
    record Size(int width, int height) {
    }

    private ObjectDetectionTask(ImageInputs images, SetPredictionDecoder decoder, boolean pixelMask) {
        this.images = images;
        this.decoder = decoder;
        this.pixelMask = pixelMask;
    }

    public static ObjectDetectionTask create(TaskContext context) throws ModelLoadException {
        Optional<TensorSpec> logits = context.output("logits");
        Optional<TensorSpec> boxes = context.output("pred_boxes");
        if (logits.isEmpty() || boxes.isEmpty()) {
            throw new ModelLoadException("object-detection here decodes set-prediction models (DETR, YOLOS) with outputs logits "
                    + "and pred_boxes; the model has " + context.outputs().stream().map(TensorSpec::name).toList());
        }
        Labels labels = context.settings().labels().map(Labels::new).or(() -> context.config().labels())
                .orElseThrow(() -> new ModelLoadException("object-detection needs labels: config.json id2label or serving.yaml labels"));
        long columns = logits.get().shape()[2];
        if (columns >= 1 && columns != labels.size() + 1) {
            throw new ModelLoadException("logits has " + columns + " columns; a set-prediction model has one per label ("
                    + labels.size() + ") plus no-object");
        }
        return new ObjectDetectionTask(ImageInputs.load(context), new SetPredictionDecoder("logits", "pred_boxes", labels),
                context.input("pixel_mask").isPresent());
    }

    @Override
    public TaskType type() {
        return TaskType.OBJECT_DETECTION;
    }

    @Override
    public DetectionParameters parameters(Parameters p) {
        return new DetectionParameters((float) p.decimal("threshold", DEFAULT_THRESHOLD, 0, 1), 0, 0);
    }

    @Override
    public Preprocessed<Size> preprocess(TaskInput input, DetectionParameters parameters) {
        RgbImage image = images.decode(input);
        return Preprocessed.single(row(images.pixelValues(image)), new Size(image.width(), image.height()));
    }

    private Row row(Tensor pixels) {
        Map<String, Tensor> row = new HashMap<>();
        row.put(ImageInputs.PIXEL_VALUES, pixels);
        if (pixelMask) {
            // One image per row: nothing is padding, so every pixel is real.
            long[] ones = new long[pixels.dim(1) * pixels.dim(2)];
            java.util.Arrays.fill(ones, 1);
            row.put("pixel_mask", Tensor.of(ones, pixels.dim(1), pixels.dim(2)));
        }
        return Row.fixed(row);
    }

    @Override
    public Object postprocess(Size size, List<Map<String, Tensor>> outputs, DetectionParameters parameters) {
        return decoder.decode(outputs.getFirst(), size.width(), size.height(), parameters.threshold());
    }

    @Override
    public Optional<Row> warmupRow(int length) {
        return Optional.of(row(images.blankPixelValues()));
    }
}
