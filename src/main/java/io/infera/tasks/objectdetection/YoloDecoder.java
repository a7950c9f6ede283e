package io.infera.tasks.objectdetection;

import io.infera.processing.Labels;
import io.infera.processing.detection.Detection;
import io.infera.processing.detection.NonMaxSuppression;
import io.infera.processing.image.ImagePreprocessor;
import io.infera.runtime.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * YOLO-style exports (YOLOv8 layout): one output of candidates × (cx, cy, w, h in input pixels,
 * then one score per class), either [4 + classes, candidates] or [candidates, 4 + classes]. Each
 * candidate takes its best class; those above the threshold go through class-aware NMS, and the
 * boxes are scaled from the model's input back to the picture.
 */
final class YoloDecoder implements DetectionDecoder {

    private final String output;
    private final Labels labels;

    YoloDecoder(String output, Labels labels) {
        this.output = output;
        this.labels = labels;
    }

    @Override
    public float defaultThreshold() {
        return 0.25f;
    }

    @Override
    public List<DetectedObject> decode(
            Map<String, Tensor> outputs,
            ObjectDetectionTask.Size picture,
            ImagePreprocessor.Placement input,
            DetectionParameters parameters) {
        Tensor raw = outputs.get(output);
        int width = 4 + labels.size();
        boolean channelsFirst = raw.dim(0) == width;
        int candidates = channelsFirst ? raw.dim(1) : raw.dim(0);
        float[] v = raw.toFloats();
        List<Detection> boxes = new ArrayList<>(candidates);
        for (int a = 0; a < candidates; a++) {
            int best = 0;
            float bestScore = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < labels.size(); c++) {
                float score = value(v, channelsFirst, candidates, width, a, 4 + c);
                if (score > bestScore) {
                    bestScore = score;
                    best = c;
                }
            }
            float cx = value(v, channelsFirst, candidates, width, a, 0);
            float cy = value(v, channelsFirst, candidates, width, a, 1);
            float w = value(v, channelsFirst, candidates, width, a, 2);
            float h = value(v, channelsFirst, candidates, width, a, 3);
            boxes.add(new Detection(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, best, bestScore));
        }
        NonMaxSuppression nms = new NonMaxSuppression(
                parameters.iouThreshold(), parameters.threshold(), parameters.maxDetections(), true);
        // Original pixels per input pixel, and where the picture starts in the input (a letterbox's padding).
        float sx = (float) (1 / input.scaleX());
        float sy = (float) (1 / input.scaleY());
        float ox = input.offsetX();
        float oy = input.offsetY();
        List<DetectedObject> objects = new ArrayList<>();
        for (Detection d : nms.apply(boxes)) {
            objects.add(new DetectedObject(
                    d.score(),
                    labels.name(d.label()),
                    new DetectedObject.Box(
                            (int) ((d.x1() - ox) * sx), (int) ((d.y1() - oy) * sy), (int) ((d.x2() - ox) * sx), (int)
                                    ((d.y2() - oy) * sy))));
        }
        return objects;
    }

    private static float value(float[] v, boolean channelsFirst, int candidates, int width, int candidate, int field) {
        return channelsFirst ? v[field * candidates + candidate] : v[candidate * width + field];
    }
}
