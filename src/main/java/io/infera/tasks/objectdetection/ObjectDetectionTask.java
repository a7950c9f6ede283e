package io.infera.tasks.objectdetection;

import io.infera.batching.Row;
import io.infera.errors.ModelLoadException;
import io.infera.processing.Labels;
import io.infera.processing.image.ImagePreprocessor;
import io.infera.processing.image.RgbImage;
import io.infera.runtime.Tensor;
import io.infera.runtime.TensorSpec;
import io.infera.tasks.DetectionFamily;
import io.infera.tasks.DetectionSettings;
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
 * The output family comes from serving.yaml ({@code detection: {family: ...}}) or from the output
 * names: set-prediction models (DETR, YOLOS: {@code logits} + {@code pred_boxes}), YOLO-style
 * exports (one candidates output, decoded with class-aware NMS) and exports that return finished
 * {@code boxes}, {@code labels} and {@code scores}.
 */
public final class ObjectDetectionTask implements Task<DetectionParameters, ObjectDetectionTask.Sizes> {

    private static final float DEFAULT_IOU_THRESHOLD = 0.45f;
    private static final int DEFAULT_MAX_DETECTIONS = 100;

    private final ImageInputs images;
    private final DetectionDecoder decoder;
    private final boolean pixelMask;

    /** A picture's size in pixels. */
    record Size(int width, int height) {}

    /** The original picture's size and where it landed in the model's input, to map boxes back. */
    record Sizes(Size picture, ImagePreprocessor.Placement placement) {}

    private ObjectDetectionTask(ImageInputs images, DetectionDecoder decoder, boolean pixelMask) {
        this.images = images;
        this.decoder = decoder;
        this.pixelMask = pixelMask;
    }

    public static ObjectDetectionTask create(TaskContext context) throws ModelLoadException {
        Labels labels = context.settings()
                .labels()
                .map(Labels::new)
                .or(() -> context.config().labels())
                .orElseThrow(() -> new ModelLoadException(
                        "object-detection needs labels: config.json id2label or serving.yaml labels"));
        List<String> names = context.outputs().stream().map(TensorSpec::name).toList();
        DetectionFamily family = context.settings()
                .detection()
                .map(DetectionSettings::family)
                .orElse(
                        names.contains("logits") && names.contains("pred_boxes")
                                ? DetectionFamily.SET_PREDICTION
                                : names.containsAll(List.of("boxes", "labels", "scores"))
                                        ? DetectionFamily.BOXES
                                        : context.outputs().size() == 1
                                                        && context.outputs()
                                                                        .getFirst()
                                                                        .rank()
                                                                == 3
                                                ? DetectionFamily.YOLO
                                                : null);
        if (family == null) {
            throw new ModelLoadException("object-detection cannot tell how to decode outputs " + names
                    + "; set serving.yaml detection: {family: set-prediction | yolo | boxes | anchors}");
        }
        DetectionDecoder decoder = switch (family) {
            case SET_PREDICTION -> {
                Optional<TensorSpec> logits = context.output("logits");
                if (logits.isEmpty() || context.output("pred_boxes").isEmpty()) {
                    throw new ModelLoadException(
                            "detection family set-prediction needs outputs logits and pred_boxes; the model has "
                                    + names);
                }
                long columns = logits.get().shape()[2];
                if (columns >= 1 && columns != labels.size() + 1) {
                    throw new ModelLoadException(
                            "logits has " + columns + " columns; a set-prediction model has one per label ("
                                    + labels.size() + ") plus no-object");
                }
                yield new SetPredictionDecoder("logits", "pred_boxes", labels);
            }
            case YOLO -> {
                TensorSpec out = context.outputs().getFirst();
                long[] shape = out.shape();
                if (context.outputs().size() != 1
                        || out.rank() != 3
                        || (shape[1] >= 0
                                && shape[2] >= 0
                                && shape[1] != 4 + labels.size()
                                && shape[2] != 4 + labels.size())) {
                    throw new ModelLoadException("detection family yolo needs one output [batch, 4 + " + labels.size()
                            + " classes, candidates] (or transposed); the model has " + context.outputs());
                }
                yield new YoloDecoder(out.name(), labels);
            }
            case BOXES -> {
                if (!names.containsAll(List.of("boxes", "labels", "scores"))) {
                    throw new ModelLoadException(
                            "detection family boxes needs outputs boxes, labels and scores; the model has " + names);
                }
                yield new BoxesDecoder(labels);
            }
            case ANCHORS -> AnchorDecoder.create(context.settings().detection().orElseThrow(), labels, names);
        };
        return new ObjectDetectionTask(
                ImageInputs.load(context), decoder, context.input("pixel_mask").isPresent());
    }

    @Override
    public TaskType type() {
        return TaskType.OBJECT_DETECTION;
    }

    @Override
    public DetectionParameters parameters(Parameters p) {
        float threshold = (float) p.decimal("threshold", decoder.defaultThreshold(), 0, 1);
        if (decoder instanceof YoloDecoder || decoder instanceof AnchorDecoder) {
            // MediaPipe's detectors suppress at 0.3 overlap, YOLO's at 0.45.
            double iou = decoder instanceof AnchorDecoder ? 0.3 : DEFAULT_IOU_THRESHOLD;
            return new DetectionParameters(
                    threshold,
                    (float) p.decimal("iou_threshold", iou, 0, 1),
                    p.integer("max_detections", DEFAULT_MAX_DETECTIONS, 1, 10_000));
        }
        return new DetectionParameters(threshold, 0, 0);
    }

    @Override
    public Preprocessed<Sizes> preprocess(TaskInput input, DetectionParameters parameters) {
        RgbImage image = images.decode(input);
        Tensor pixels = images.pixelValues(image, input.field());
        return Preprocessed.single(
                row(pixels), new Sizes(new Size(image.width(), image.height()), images.placement(image, pixels)));
    }

    private Row row(Tensor pixels) {
        Map<String, Tensor> row = new HashMap<>();
        row.put(images.inputName(), pixels);
        if (pixelMask) {
            // One image per row: nothing is padding, so every pixel is real.
            long[] ones = new long[pixels.dim(1) * pixels.dim(2)];
            java.util.Arrays.fill(ones, 1);
            row.put("pixel_mask", Tensor.of(ones, pixels.dim(1), pixels.dim(2)));
        }
        return Row.unpadded(row);
    }

    @Override
    public Object postprocess(Sizes sizes, List<Map<String, Tensor>> outputs, DetectionParameters parameters) {
        return decoder.decode(outputs.getFirst(), sizes.picture(), sizes.placement(), parameters);
    }

    @Override
    public Optional<Row> warmupRow(int length) {
        return Optional.of(row(images.blankPixelValues()));
    }
}
