package io.infera.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infera.runtime.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TensorAgreementTest {

    @Test
    void outputsWithinTheParityToleranceAgree() {
        TensorAgreement same = TensorAgreement.of(
                Map.of("logits", Tensor.of(new float[] {1f, 2f}, 1, 2)),
                Map.of("logits", Tensor.of(new float[] {1.00005f, 2f}, 1, 2)));
        assertTrue(same.agree());
        assertEquals(0.000025, same.meanDifference(), 1e-6);
    }

    @Test
    void aLargerDifferenceAnotherShapeOrAMissingOutputDisagrees() {
        Map<String, Tensor> primary = Map.of("logits", Tensor.of(new float[] {1f, 2f}, 1, 2));
        TensorAgreement apart = TensorAgreement.of(primary, Map.of("logits", Tensor.of(new float[] {1f, 3f}, 1, 2)));
        assertFalse(apart.agree());
        assertEquals(0.5, apart.meanDifference(), 1e-9);
        assertFalse(TensorAgreement.of(primary, Map.of("logits", Tensor.of(new float[] {1f, 2f}, 2, 1)))
                .agree());
        TensorAgreement missing = TensorAgreement.of(primary, Map.of());
        assertFalse(missing.agree());
        assertTrue(Double.isNaN(missing.meanDifference()));
        assertTrue(TensorAgreement.of(
                        Map.of("s", Tensor.of(new String[] {"a"}, 1)), Map.of("s", Tensor.of(new String[] {"a"}, 1)))
                .agree());
    }
}
