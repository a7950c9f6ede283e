package io.infera.api;

import io.infera.runtime.DataType;
import io.infera.runtime.Tensor;
import java.util.Arrays;
import java.util.Map;

/**
 * Whether a shadow version's raw outputs agree with the answering version's for one request: every
 * output of the answer is there with the same type and shape, and no number differs by more than
 * {@value #TOLERANCE} (the parity tolerance of scores); strings must be equal. The mean absolute
 * difference over all numbers is what the score-difference metric records.
 *
 * @param meanDifference NaN when the outputs have no numbers in common
 */
record TensorAgreement(boolean agree, double meanDifference) {

    static final double TOLERANCE = 1e-4;

    static TensorAgreement of(Map<String, Tensor> primary, Map<String, Tensor> shadow) {
        boolean agree = true;
        double sum = 0;
        long count = 0;
        for (Map.Entry<String, Tensor> output : primary.entrySet()) {
            Tensor a = output.getValue();
            Tensor b = shadow.get(output.getKey());
            if (b == null || a.type() != b.type() || !Arrays.equals(a.shape(), b.shape())) {
                agree = false;
                continue;
            }
            if (a.type() == DataType.BYTES) {
                agree &= Arrays.equals(a.strings(), b.strings());
                continue;
            }
            float[] x = a.toFloats();
            float[] y = b.toFloats();
            for (int i = 0; i < x.length; i++) {
                double difference = Math.abs((double) x[i] - y[i]);
                agree &= difference <= TOLERANCE;
                sum += difference;
            }
            count += x.length;
        }
        return new TensorAgreement(agree, count == 0 ? Double.NaN : sum / count);
    }
}
