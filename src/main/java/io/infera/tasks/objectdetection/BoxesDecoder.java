package io.infera.tasks.objectdetection;

import io.infera.processing.Labels;
import io.infera.processing.image.ImagePreprocessor;
import io.infera.runtime.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Exports that return finished detections (torchvision-style, with a batch axis): {@code boxes}
 * [K, 4] as (x1, y1, x2, y2) in input pixels, {@code labels} [K] and {@code scores} [K]. Only the
 * threshold and the mapping back to the picture are left to do.
 */
final class BoxesDecoder implements DetectionDecoder {

    private final Labels labels;

    BoxesDecoder(Labels labels) {
        this.labels = labels;
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
        float[] boxes = outputs.get("boxes").toFloats();
        float[] scores = outputs.get("scores").toFloats();
        float[] classes = outputs.get("labels").toFloats();
        // Original pixels per input pixel, and where the picture starts in the input (a letterbox's padding).
        float sx = (float) (1 / input.scaleX());
        float sy = (float) (1 / input.scaleY());
        float ox = input.offsetX();
        float oy = input.offsetY();
        List<DetectedObject> objects = new ArrayList<>();
        for (int k = 0; k < scores.length; k++) {
            if (!(scores[k] > parameters.threshold())) {
                continue;
            }
            int label = (int) classes[k];
            if (label < 0 || label >= labels.size()) {
                throw new IllegalStateException(
                        "the model returned label " + label + "; the config names " + labels.size());
            }
            objects.add(new DetectedObject(
                    scores[k],
                    labels.name(label),
                    new DetectedObject.Box(
                            (int) ((boxes[k * 4] - ox) * sx), (int) ((boxes[k * 4 + 1] - oy) * sy),
                            (int) ((boxes[k * 4 + 2] - ox) * sx), (int) ((boxes[k * 4 + 3] - oy) * sy))));
        }
        return objects;
    }
}
