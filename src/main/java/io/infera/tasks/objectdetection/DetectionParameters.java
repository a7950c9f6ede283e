package io.infera.tasks.objectdetection;

/**
 * @param threshold     score above which a detection is kept (the pipeline's {@code threshold})
 * @param iouThreshold  overlap above which NMS drops the weaker box (NMS families only)
 * @param maxDetections the most boxes returned (NMS families only)
 */
public record DetectionParameters(float threshold, float iouThreshold, int maxDetections) {}
