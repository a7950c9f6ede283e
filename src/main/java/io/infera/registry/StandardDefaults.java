package io.infera.registry;

/**
 * The settings a model gets when nothing is configured, written once. The server's configuration
 * (the {@code infera.*} properties) takes these words as its defaults, and
 * {@link ModelDefaults#standard()} reads them as values for the processes that have no such
 * configuration (the score command, Spark executors) and for the tests, which change only what
 * they must. Words, because a configuration default has to be a constant string.
 */
public final class StandardDefaults {

    public static final String DEVICE = "cpu";

    public static final String MAX_BATCH_SIZE = "16";
    public static final String MAX_QUEUE_DELAY_US = "0";
    public static final String MAX_QUEUE_SIZE = "1024";
    /** About a thousand padded tokens: where an encoder on CPU costs least per row (docs/performance.md). */
    public static final String MAX_BATCH_TOKENS = "1024";

    public static final String BUCKETS = "16,32,64,128,256,512";
    public static final String REORDER_WINDOW = "64";
    /** 0: one session on every core ({@link ExecutionLayout}). */
    public static final String INSTANCES = "0";

    public static final String WARMUP = "true";

    /** 0: the cores shared among the model's sessions ({@link ExecutionLayout}). */
    public static final String ONNX_INTRA_OP_THREADS = "0";

    public static final String ONNX_INTER_OP_THREADS = "0";
    public static final String ONNX_SPINNING = "false";
    public static final String ONNX_OPTIMIZATION_LEVEL = "all";

    public static final String TORCH_INTRA_OP_THREADS = "0";
    public static final String TORCH_INTER_OP_THREADS = "0";
    public static final String TORCH_GRAPH_OPTIMIZER = "false";

    public static final String MAX_IMAGE_PIXELS = "40000000";
    public static final String MAX_TEXT_CHARS = "100000";
    public static final String MAX_ITEMS = "256";
    public static final String MAX_AUDIO_SECONDS = "600";
    /** ISO-8601, which the configuration's duration reader takes too. */
    public static final String FFMPEG_TIMEOUT = "PT30S";

    public static final String MAX_NEW_TOKENS = "2048";

    public static final String GENERATION_MAX_SEQUENCES = "16";
    public static final String GENERATION_MAX_QUEUED = "256";
    public static final String GENERATION_MAX_STEP_TOKENS = "4096";

    private StandardDefaults() {}
}
