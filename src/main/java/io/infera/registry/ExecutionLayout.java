package io.infera.registry;

/**
 * How a model's work is spread over the cores: how many backend sessions run batches side by side
 * and how many intra-op threads each session gets. What serving.yaml or the server configuration
 * names is kept; what they leave open (0) is chosen from the cores the server sees and the model.
 *
 * <p>Why two sessions of half the cores each, rather than one session on all of them: an operator
 * split over threads waits for its slowest thread, and under load the server's own threads
 * (HTTP, tokenizing, JSON) take cores away mid-operator; two sessions never wait for each other,
 * and the batch planner has a free session as soon as either finishes. "ONNX Runtime decides" is
 * not a choice here: it counts physical cores, which a container's CPU limit does not lower, and
 * lets every session of every model claim all of them. docs/performance.md has the measurements.
 *
 * @param instances      backend sessions running batches in parallel
 * @param intraOpThreads threads inside one operator of one session
 */
public record ExecutionLayout(int instances, int intraOpThreads) {

    /** Weights above this are held once: a second session would double the model's memory. */
    static final long LARGE_MODEL_BYTES = 1L << 30;

    public ExecutionLayout {
        if (instances < 1 || intraOpThreads < 1) {
            throw new IllegalArgumentException("instances and intra-op threads must be >= 1");
        }
    }

    /** What a model's runs need from the layout. */
    public enum Shape {
        /** Batches are independent runs: sessions side by side pay. */
        BATCHES,
        /** One loop drives one session (text generation): a second session would sit idle. */
        ONE_LOOP,
        /** The backend's threads are process-wide (libtorch) or on a GPU: one session unless told. */
        SHARED_POOL
    }

    /**
     * @param cores          the processors the server sees (a container's CPU limit included)
     * @param modelBytes     the size of the model's weights on disk
     * @param instances      the configured sessions, 0 to choose
     * @param intraOpThreads the configured threads per session, 0 to choose
     */
    public static ExecutionLayout choose(int cores, long modelBytes, Shape shape, int instances, int intraOpThreads) {
        if (cores < 1 || instances < 0 || intraOpThreads < 0) {
            throw new IllegalArgumentException("cores must be >= 1, instances and threads >= 0");
        }
        int sessions = instances > 0 ? instances
                : shape != Shape.BATCHES || modelBytes > LARGE_MODEL_BYTES ? 1
                : intraOpThreads > 0 ? Math.max(1, Math.min(2, cores / intraOpThreads))
                : Math.min(2, cores);
        int threads = intraOpThreads > 0 ? intraOpThreads : Math.max(1, cores / sessions);
        return new ExecutionLayout(sessions, threads);
    }
}
