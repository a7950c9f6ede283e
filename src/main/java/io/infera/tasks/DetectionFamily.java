package io.infera.tasks;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How an object detector's outputs are decoded: serving.yaml's {@code detection: {family: ...}}. */
public enum DetectionFamily {
    /** DETR, YOLOS: logits and pred_boxes per query. */
    SET_PREDICTION("set-prediction"),
    /** One [batch, 4 + classes, candidates] output, then non-maximum suppression. */
    YOLO("yolo"),
    /** Finished detections: boxes, labels and scores. */
    BOXES("boxes"),
    /** SSD / BlazeFace heads decoded against anchor grids (needs input_size and heads). */
    ANCHORS("anchors");

    private final String wireName;

    DetectionFamily(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** @throws IllegalArgumentException naming the known families */
    public static DetectionFamily parse(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(f -> f.wireName.equals(value))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("detection family '" + text + "' is not one of "
                        + Arrays.stream(values()).map(DetectionFamily::wireName).collect(Collectors.joining(", "))));
    }

    @Override
    public String toString() {
        return wireName;
    }
}
