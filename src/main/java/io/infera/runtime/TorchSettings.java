package io.infera.runtime;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Process-wide libtorch settings. libtorch keeps one intra-op and one inter-op thread pool per
 * process (not per module, unlike ONNX Runtime's sessions), so these are server settings, applied
 * once when the first TorchScript model loads.
 *
 * @param intraOpThreads threads inside one operator; 0 keeps libtorch's default (one per core)
 * @param interOpThreads threads running independent operators; 0 keeps libtorch's default
 * @param graphOptimizer TorchScript's profiling graph executor: it re-specialises the graph for the
 *                       shapes it sees, which costs the first runs of each new shape
 * @param cacheDir       where DJL unpacks the libtorch natives from the jar; empty: DJL's default
 *                       ({@code DJL_CACHE_DIR}, else {@code ~/.djl.ai})
 */
public record TorchSettings(int intraOpThreads, int interOpThreads, boolean graphOptimizer, Optional<Path> cacheDir) {

    public static final TorchSettings DEFAULTS = new TorchSettings(0, 0, false, Optional.empty());

    public TorchSettings {
        if (intraOpThreads < 0 || interOpThreads < 0) {
            throw new IllegalArgumentException("libtorch thread counts must be >= 0");
        }
    }
}
