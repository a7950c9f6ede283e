package io.infera.processing.detection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Greedy non-maximum suppression, as ONNX's NonMaxSuppression and torchvision's batched_nms do it:
 * candidates above the score threshold, best first; a candidate overlapping a kept box of the same
 * class (or of any class, when not class-aware) by more than the IoU threshold is dropped.
 *
 * @param iouThreshold   overlap above which the weaker box goes
 * @param scoreThreshold candidates at or below this score are never kept
 * @param maxDetections  the most boxes kept in all
 * @param classAware     suppress only within a class (YOLO-style exports) or across classes
 */
public record NonMaxSuppression(float iouThreshold, float scoreThreshold, int maxDetections, boolean classAware) {

    public NonMaxSuppression {
        if (iouThreshold < 0 || iouThreshold > 1) {
            throw new IllegalArgumentException("iou threshold must be in [0, 1], got " + iouThreshold);
        }
        if (maxDetections < 1) {
            throw new IllegalArgumentException("max detections must be >= 1, got " + maxDetections);
        }
    }

    /** The kept detections, best first. Boxes may list their corners in either order. */
    public List<Detection> apply(List<Detection> candidates) {
        List<Detection> sorted = new ArrayList<>();
        for (Detection d : candidates) {
            if (d.score() > scoreThreshold) {
                sorted.add(normalised(d));
            }
        }
        // Stable: equal scores keep their input order, as a stable sort on the scores does.
        sorted.sort(Comparator.comparingDouble(Detection::score).reversed());
        List<Detection> kept = new ArrayList<>();
        for (Detection candidate : sorted) {
            if (kept.size() == maxDetections) {
                break;
            }
            boolean suppressed = false;
            for (Detection k : kept) {
                if ((!classAware || k.label() == candidate.label()) && k.iou(candidate) > iouThreshold) {
                    suppressed = true;
                    break;
                }
            }
            if (!suppressed) {
                kept.add(candidate);
            }
        }
        return kept;
    }

    private static Detection normalised(Detection d) {
        return new Detection(
                Math.min(d.x1(), d.x2()),
                Math.min(d.y1(), d.y2()),
                Math.max(d.x1(), d.x2()),
                Math.max(d.y1(), d.y2()),
                d.label(),
                d.score());
    }
}
