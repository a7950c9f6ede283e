package io.infera.batching;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.infera.runtime.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchCollatorTest {

    @Test
    void padsSequencesToTheLongestWithEachInputsPadValue() {
        List<Map<String, Tensor>> rows = List.of(
                Map.of(
                        "input_ids",
                        Tensor.of(new long[] {101, 7, 102}, 3),
                        "attention_mask",
                        Tensor.of(new long[] {1, 1, 1}, 3)),
                Map.of(
                        "input_ids",
                        Tensor.of(new long[] {101, 102}, 2),
                        "attention_mask",
                        Tensor.of(new long[] {1, 1}, 2)));
        Map<String, Tensor> batch = BatchCollator.collate(rows, Map.of("input_ids", 9L));
        assertArrayEquals(new long[] {2, 3}, batch.get("input_ids").shape());
        assertArrayEquals(
                new long[] {101, 7, 102, 101, 102, 9}, batch.get("input_ids").longs());
        assertArrayEquals(
                new long[] {1, 1, 1, 1, 1, 0}, batch.get("attention_mask").longs());
    }

    @Test
    void padsEveryAxisOfHigherRankRows() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor b = Tensor.of(new float[] {5, 6, 7}, 1, 3);
        Tensor batch = BatchCollator.collate(List.of(Map.of("x", a), Map.of("x", b)), Map.of("x", -1f))
                .get("x");
        assertArrayEquals(new long[] {2, 2, 3}, batch.shape());
        assertArrayEquals(new float[] {1, 2, -1, 3, 4, -1, 5, 6, 7, -1, -1, -1}, batch.floats());
    }

    @Test
    void splitsOutputsBackPerRow() {
        Tensor logits = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
        List<Map<String, Tensor>> rows = BatchCollator.split(Map.of("logits", logits), 3);
        assertEquals(3, rows.size());
        assertArrayEquals(new float[] {5, 6}, rows.get(2).get("logits").floats());
        assertArrayEquals(new long[] {2}, rows.get(2).get("logits").shape());
    }
}
