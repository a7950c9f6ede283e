package io.infera.tasks.objectdetection;

import io.infera.processing.Labels;
import io.infera.processing.Softmax;
import io.infera.processing.image.ImagePreprocessor;
import io.infera.runtime.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * DETR / YOLOS outputs: per query, logits over the labels plus a last "no object" class and a
 * box as normalised (cx, cy, w, h). No NMS: the set prediction is already one box per object.
 * Mirrors post_process_object_detection (float32 arithmetic, then truncation to whole pixels).
 */
final class SetPredictionDecoder implements DetectionDecoder {

    private final String logits;
    private final String boxes;
    private final Labels labels;

    SetPredictionDecoder(String logits, String boxes, Labels labels) {
        this.logits = logits;
        this.boxes = boxes;
        this.labels = labels;
    }

    @Override
    public float defaultThreshold() {
        return 0.5f;
    }

    @Override
    public List<DetectedObject> decode(
            Map<String, Tensor> row,
            ObjectDetectionTask.Size picture,
            ImagePreprocessor.Placement input,
            DetectionParameters parameters) {
        int width = picture.width();
        int height = picture.height();
        float threshold = parameters.threshold();
        Tensor classLogits = row.get(logits);
        int classes = classLogits.dim(1);
        int queries = classLogits.dim(0);
        float[] values = classLogits.toFloats();
        float[] box = row.get(boxes).toFloats();
        List<DetectedObject> out = new ArrayList<>();
        for (int q = 0; q < queries; q++) {
            float[] probabilities = Softmax.of(values, q * classes, classes);
            int best = 0;
            for (int c = 1; c < classes - 1; c++) {
                if (probabilities[c] > probabilities[best]) {
                    best = c;
                }
            }
            float score = probabilities[best];
            if (!(score > threshold)) {
                continue;
            }
            float cx = box[q * 4];
            float cy = box[q * 4 + 1];
            float w = box[q * 4 + 2];
            float h = box[q * 4 + 3];
            out.add(new DetectedObject(
                    score,
                    labels.name(best),
                    new DetectedObject.Box(
                            (int) ((cx - 0.5f * w) * width), (int) ((cy - 0.5f * h) * height),
                            (int) ((cx + 0.5f * w) * width), (int) ((cy + 0.5f * h) * height))));
        }
        return out;
    }
}
