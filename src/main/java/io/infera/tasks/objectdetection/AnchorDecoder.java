package io.infera.tasks.objectdetection;

import io.infera.errors.ModelLoadException;
import io.infera.processing.Labels;
import io.infera.processing.detection.Detection;
import io.infera.processing.detection.NonMaxSuppression;
import io.infera.processing.image.ImagePreprocessor;
import io.infera.runtime.Tensor;
import io.infera.tasks.DetectionSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * SSD-style anchor heads (MediaPipe BlazeFace and kin): per grid, anchors at the cell centres;
 * each anchor's box is the centre plus (dx, dy) and a (w, h), in input pixels, its score the
 * sigmoid of a logit. One class; NMS across all heads.
 */
final class AnchorDecoder implements DetectionDecoder {

    private final int inputSize;
    private final List<DetectionSettings.AnchorHead> heads;
    private final String label;

    private AnchorDecoder(int inputSize, List<DetectionSettings.AnchorHead> heads, String label) {
        this.inputSize = inputSize;
        this.heads = heads;
        this.label = label;
    }

    static AnchorDecoder create(DetectionSettings settings, Labels labels, List<String> outputs)
            throws ModelLoadException {
        if (settings.inputSize() == null
                || settings.inputSize() < 1
                || settings.heads().isEmpty()) {
            throw new ModelLoadException(
                    "detection family anchors needs input_size and heads [{cells, anchors_per_cell, scores, boxes}]");
        }
        for (DetectionSettings.AnchorHead head : settings.heads()) {
            if (head.cells() < 1
                    || head.anchorsPerCell() < 1
                    || !outputs.contains(head.scores())
                    || !outputs.contains(head.boxes())) {
                throw new ModelLoadException(
                        "detection head " + head + " must name cells, anchors_per_cell and two outputs of " + outputs);
            }
        }
        if (labels.size() != 1) {
            throw new ModelLoadException("detection family anchors has one class; config.json names " + labels.size());
        }
        return new AnchorDecoder(settings.inputSize(), settings.heads(), labels.name(0));
    }

    @Override
    public float defaultThreshold() {
        return 0.5f;
    }

    @Override
    public List<DetectedObject> decode(
            Map<String, Tensor> outputs,
            ObjectDetectionTask.Size picture,
            ImagePreprocessor.Placement input,
            DetectionParameters parameters) {
        List<Detection> candidates = new ArrayList<>();
        float size = inputSize;
        for (DetectionSettings.AnchorHead head : heads) {
            float[] scores = outputs.get(head.scores()).toFloats();
            Tensor boxTensor = outputs.get(head.boxes());
            int stride = boxTensor.dim(boxTensor.rank() - 1);
            float[] boxes = boxTensor.toFloats();
            for (int a = 0; a < head.cells() * head.cells() * head.anchorsPerCell(); a++) {
                int cell = a / head.anchorsPerCell();
                float ax = (cell % head.cells() + 0.5f) / head.cells();
                float ay = (cell / head.cells() + 0.5f) / head.cells();
                float cx = ax + boxes[a * stride] / size;
                float cy = ay + boxes[a * stride + 1] / size;
                float w = boxes[a * stride + 2] / size;
                float h = boxes[a * stride + 3] / size;
                float score = (float) (1 / (1 + Math.exp(-scores[a])));
                candidates.add(new Detection(
                        (cx - w / 2) * size, (cy - h / 2) * size, (cx + w / 2) * size, (cy + h / 2) * size, 0, score));
            }
        }
        NonMaxSuppression nms = new NonMaxSuppression(
                parameters.iouThreshold(), parameters.threshold(), parameters.maxDetections(), false);
        float sx = (float) (1 / input.scaleX());
        float sy = (float) (1 / input.scaleY());
        float ox = input.offsetX();
        float oy = input.offsetY();
        List<DetectedObject> objects = new ArrayList<>();
        for (Detection d : nms.apply(candidates)) {
            objects.add(new DetectedObject(
                    d.score(),
                    label,
                    new DetectedObject.Box(
                            (int) ((d.x1() - ox) * sx), (int) ((d.y1() - oy) * sy), (int) ((d.x2() - ox) * sx), (int)
                                    ((d.y2() - oy) * sy))));
        }
        return objects;
    }
}
