package io.infera.registry;

/**
 * How a model's work is spread over the cores: how many backend sessions run batches side by side
 * and how many intra-op threads each session gets. What serving.yaml or the server configuration
 * names is kept; what they leave open (0) is chosen from the cores the server sees.
 *
 * <p>Unless told otherwise a model runs one session on every core. Measured on the bundled MiniLM
 * (docs/performance.md): at saturation one session of 2 threads and two sessions of 1 thread serve
 * the same items/s, but a lone request on one thread takes 1.6x as long. Threads are not left to
 * ONNX Runtime either: it counts physical cores, not a container's CPU limit. With several sessions
 * configured, the cores are shared among them rather than each claiming all of them.
 *
 * @param instances      backend sessions running batches in parallel
 * @param intraOpThreads threads inside one operator of one session
 */
public record ExecutionLayout(int instances, int intraOpThreads) {

    public ExecutionLayout {
        if (instances < 1 || intraOpThreads < 1) {
            throw new IllegalArgumentException("instances and intra-op threads must be >= 1");
        }
    }

    /**
     * @param cores          the processors the server sees (a container's CPU limit included)
     * @param instances      the configured sessions, 0 to choose
     * @param intraOpThreads the configured threads per session, 0 to choose
     */
    public static ExecutionLayout choose(int cores, int instances, int intraOpThreads) {
        if (cores < 1 || instances < 0 || intraOpThreads < 0) {
            throw new IllegalArgumentException("cores must be >= 1, instances and threads >= 0");
        }
        int sessions = instances > 0 ? instances : 1;
        int threads = intraOpThreads > 0 ? intraOpThreads : Math.max(1, cores / sessions);
        return new ExecutionLayout(sessions, threads);
    }
}
