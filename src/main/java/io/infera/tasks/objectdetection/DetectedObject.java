package io.infera.tasks.objectdetection;

/** One object as the transformers object-detection pipeline reports it: integer pixel corners of the original image. */
public record DetectedObject(float score, String label, Box box) {

    public record Box(int xmin, int ymin, int xmax, int ymax) {}
}
