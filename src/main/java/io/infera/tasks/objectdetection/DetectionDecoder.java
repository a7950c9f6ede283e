package io.infera.tasks.objectdetection;

import io.infera.processing.image.ImagePreprocessor;
import io.infera.runtime.Tensor;
import java.util.List;
import java.util.Map;

/** Turns one picture's model outputs into objects in pixels of the original picture: one implementation per output family. */
interface DetectionDecoder {

    /**
     * @param picture the original picture's size
     * @param input   where the picture landed in the model's input (resize or letterbox)
     */
    List<DetectedObject> decode(
            Map<String, Tensor> outputs,
            ObjectDetectionTask.Size picture,
            ImagePreprocessor.Placement input,
            DetectionParameters parameters);

    /** The score threshold when a request names none (the pipeline's 0.5 for DETR, YOLO's 0.25). */
    float defaultThreshold();
}
