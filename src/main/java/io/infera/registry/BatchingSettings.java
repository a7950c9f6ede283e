package io.infera.registry;

import io.infera.batching.BatchingPolicy;
import io.infera.errors.ModelLoadException;
import java.util.List;

/** A model's batching policy: serving.yaml's {@code batching:} fields over the server defaults. */
final class BatchingSettings {

    private BatchingSettings() {}

    static BatchingPolicy policy(BatchingPolicy defaults, ServingConfig.Batching yaml) throws ModelLoadException {
        if (yaml == null) {
            return defaults;
        }
        try {
            return new BatchingPolicy(
                    or(yaml.maxBatchSize(), defaults.maxBatchSize()),
                    yaml.maxQueueDelayUs() != null ? yaml.maxQueueDelayUs() * 1000 : defaults.maxQueueDelayNanos(),
                    or(yaml.maxQueueSize(), defaults.maxQueueSize()),
                    yaml.preferredBatchSizes() != null
                            ? ints(yaml.preferredBatchSizes())
                            : defaults.preferredBatchSizes(),
                    yaml.maxBatchTokens() != null ? yaml.maxBatchTokens() : defaults.maxBatchTokens(),
                    yaml.buckets() != null ? ints(yaml.buckets()) : defaults.buckets(),
                    or(yaml.reorderWindow(), defaults.reorderWindow()));
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException("serving.yaml " + e.getMessage());
        }
    }

    private static int or(Integer value, int fallback) {
        return value != null ? value : fallback;
    }

    private static int[] ints(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).toArray();
    }
}
