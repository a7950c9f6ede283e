package io.infera.registry;

import io.infera.batching.BatchCollator;
import io.infera.batching.BatchingPolicy;
import io.infera.batching.Row;
import io.infera.errors.ModelLoadException;
import io.infera.runtime.Backend;
import io.infera.tasks.Task;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs every bucket's shape once on every instance before a model reports ready, at one row and at
 * the largest batch the policy allows for that length, so no request pays for a first run (memory
 * arena growth, kernel selection). A model whose warm-up fails does not become ready.
 */
final class Warmup {

    private Warmup() {}

    static void run(Task<?, ?> task, List<Backend> instances, BatchingPolicy policy) throws ModelLoadException {
        if (task == null) {
            return;
        }
        Map<Integer, Row> rows = new LinkedHashMap<>();
        List<Integer> lengths = new ArrayList<>();
        for (int bucket : policy.buckets()) {
            lengths.add(bucket);
        }
        if (lengths.isEmpty()) {
            lengths.add(1);
        }
        for (int length : lengths) {
            Optional<Row> row = task.warmupRow(length);
            row.ifPresent(r -> rows.putIfAbsent(r.length(), r));
        }
        for (Backend backend : instances) {
            for (Row row : rows.values()) {
                long budget =
                        policy.maxBatchTokens() > 0 ? policy.maxBatchTokens() / row.length() : policy.maxBatchSize();
                int largest = (int) Math.max(1, Math.min(policy.maxBatchSize(), budget));
                for (int size : largest == 1 ? List.of(1) : List.of(1, largest)) {
                    try {
                        backend.run(
                                BatchCollator.collate(Collections.nCopies(size, row.tensors()), task.padValues()),
                                List.of());
                    } catch (RuntimeException e) {
                        throw new ModelLoadException(
                                "warm-up with " + size + " rows of length " + row.length() + " failed: "
                                        + e.getMessage(),
                                e);
                    }
                }
            }
        }
    }
}
