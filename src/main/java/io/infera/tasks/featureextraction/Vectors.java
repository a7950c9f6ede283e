package io.infera.tasks.featureextraction;

/** Vector arithmetic of embeddings. */
final class Vectors {

    private Vectors() {}

    /** Unit L2 length, with sentence-transformers' guard against dividing by zero. */
    static float[] normalise(float[] vector) {
        double norm = 0;
        for (float v : vector) {
            norm += (double) v * v;
        }
        double scale = 1.0 / Math.max(Math.sqrt(norm), 1e-12);
        float[] out = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            out[i] = (float) (vector[i] * scale);
        }
        return out;
    }
}
