package io.infera.processing.detection;

/**
 * One detected object: corner coordinates (x1, y1) top-left and (x2, y2) bottom-right in pixels,
 * its class index and score.
 */
public record Detection(float x1, float y1, float x2, float y2, int label, float score) {

    public float area() {
        return Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
    }

    /** Intersection over union with another box; 0 when either has no area. */
    public float iou(Detection other) {
        float w = Math.min(x2, other.x2) - Math.max(x1, other.x1);
        float h = Math.min(y2, other.y2) - Math.max(y1, other.y1);
        if (w <= 0 || h <= 0) {
            return 0;
        }
        float intersection = w * h;
        float union = area() + other.area() - intersection;
        return union <= 0 ? 0 : intersection / union;
    }
}
