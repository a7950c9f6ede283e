package io.infera.tasks;

import java.util.List;

/**
 * serving.yaml's {@code detection:} for object detectors.
 *
 * @param family    set-prediction, yolo, boxes or anchors; null to tell from the output names
 * @param inputSize the square input the anchors are laid on (anchors family)
 * @param heads     the anchor grids, each with its score and box outputs (anchors family)
 */
public record DetectionSettings(DetectionFamily family, Integer inputSize, List<AnchorHead> heads) {

    /**
     * One SSD-style head: a {@code cells} x {@code cells} grid with {@code anchorsPerCell} anchors
     * at each cell centre; {@code scores} [batch, anchors, 1] logits and {@code boxes} [batch,
     * anchors, 4 + ...] offsets (dx, dy, w, h in input pixels; keypoints after, ignored).
     */
    public record AnchorHead(int cells, int anchorsPerCell, String scores, String boxes) {}
}
