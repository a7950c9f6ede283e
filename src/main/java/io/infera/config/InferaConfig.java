package io.infera.config;

import io.infera.registry.StandardDefaults;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Server-wide settings under {@code infera.*}; every one can be set by environment variable (INFERA_...). */
@ConfigMapping(prefix = "infera")
public interface InferaConfig {

    /** The model repository: one sub-folder per model (env INFERA_MODELS_DIR). */
    @WithDefault("models")
    Path modelsDir();

    /** Where models run unless their serving.yaml says otherwise: cpu, cuda or cuda:N. */
    @WithDefault(StandardDefaults.DEVICE)
    String device();

    /** Threads that load models in parallel at start. */
    @WithDefault("2")
    int loadThreads();

    /** Threads that decode and tokenize requests; 0 means one per CPU. */
    @WithDefault("0")
    int preprocessThreads();

    /** Readiness also requires that no model FAILED (Triton's strict readiness); off by default. */
    @WithDefault("false")
    boolean strictReadiness();

    Batching batching();

    Onnx onnx();

    Torchscript torchscript();

    Limits limits();

    Audio audio();

    Generation generation();

    Management management();

    Auth auth();

    /** How long a draining server keeps running queued work after SIGTERM before it fails it. */
    @WithDefault("30s")
    Duration shutdownGrace();

    /** Batching defaults; serving.yaml's {@code batching:} overrides them per model. */
    interface Batching {
        /** The most rows one backend call takes. */
        @WithDefault(StandardDefaults.MAX_BATCH_SIZE)
        int maxBatchSize();

        /** How long (microseconds) the oldest queued row may wait for others to fill its batch. */
        @WithDefault(StandardDefaults.MAX_QUEUE_DELAY_US)
        long maxQueueDelayUs();

        /** Rows that may wait per model; beyond it requests get 429. */
        @WithDefault(StandardDefaults.MAX_QUEUE_SIZE)
        int maxQueueSize();

        /** Batch sizes dispatched at once when reached. */
        Optional<List<Integer>> preferredBatchSizes();

        /**
         * Padded-token budget per batch (longest row x rows); 0 for none. On CPU an encoder's cost per
         * row is lowest at about a thousand tokens a batch (8 rows of 128 tokens, 2 of 512; the
         * attention scores of larger batches outgrow the caches), while short rows gain from
         * filling {@link #maxBatchSize()}.
         */
        @WithDefault(StandardDefaults.MAX_BATCH_TOKENS)
        long maxBatchTokens();

        /** Length buckets: rows of different buckets never share a batch. */
        @WithDefault(StandardDefaults.BUCKETS)
        List<Integer> buckets();

        /** Queued rows the planner looks at when it picks a batch. */
        @WithDefault(StandardDefaults.REORDER_WINDOW)
        int reorderWindow();

        /** Backend sessions per model, running batches in parallel (Triton's instance groups); 0: one. */
        @WithDefault(StandardDefaults.INSTANCES)
        int instances();

        /** Run each bucket shape once at load, before the model reports ready. */
        @WithDefault(StandardDefaults.WARMUP)
        boolean warmup();

        /** Time budget of a request without its own timeout_ms (header Request-Timeout-Ms or parameter); 0 for none. */
        @WithDefault("60000")
        long defaultTimeoutMs();
    }

    /** ONNX Runtime session defaults; serving.yaml's {@code onnx:} overrides them per model. */
    interface Onnx {
        /** Threads inside one operator; 0 shares the cores among the model's sessions. */
        @WithDefault(StandardDefaults.ONNX_INTRA_OP_THREADS)
        int intraOpThreads();

        /** Threads across operators; 0 lets ONNX Runtime choose. */
        @WithDefault(StandardDefaults.ONNX_INTER_OP_THREADS)
        int interOpThreads();

        /** Idle worker threads spin: a little lower latency on an idle machine, CPU taken from the server's other threads under load. */
        @WithDefault(StandardDefaults.ONNX_SPINNING)
        boolean spinning();

        /** Graph optimisation: none, basic, extended or all. */
        @WithDefault(StandardDefaults.ONNX_OPTIMIZATION_LEVEL)
        String optimizationLevel();
    }

    /** libtorch settings for TorchScript models; libtorch has one thread pool per process, so they are server-wide. */
    interface Torchscript {
        /** Threads inside one operator; 0 keeps libtorch's default (one per core). */
        @WithDefault(StandardDefaults.TORCH_INTRA_OP_THREADS)
        int intraOpThreads();

        /** Threads across independent operators; 0 keeps libtorch's default. */
        @WithDefault(StandardDefaults.TORCH_INTER_OP_THREADS)
        int interOpThreads();

        /** TorchScript's profiling graph executor (re-specialises per new shape; off keeps latency even). */
        @WithDefault(StandardDefaults.TORCH_GRAPH_OPTIMIZER)
        boolean graphOptimizer();

        /** Where the libtorch natives are unpacked (DJL_CACHE_DIR); default DJL's own (~/.djl.ai). */
        Optional<Path> cacheDir();
    }

    interface Limits {
        /** The most items in one request's inputs list (413 beyond). */
        @WithDefault(StandardDefaults.MAX_ITEMS)
        int maxItems();

        /** The largest image (width x height) accepted, read from its header before decoding (413 beyond). */
        @WithDefault(StandardDefaults.MAX_IMAGE_PIXELS)
        long maxImagePixels();

        /** The longest audio, in seconds, an audio task accepts (413 beyond), checked before converting samples. */
        @WithDefault(StandardDefaults.MAX_AUDIO_SECONDS)
        double maxAudioSeconds();

        /** The most tokens one text-generation request may ask for with max_new_tokens (400 beyond). */
        @WithDefault(StandardDefaults.MAX_NEW_TOKENS)
        int maxNewTokens();

        /** The longest text, in characters, a text task accepts (400 beyond), checked before tokenizing. */
        @WithDefault(StandardDefaults.MAX_TEXT_CHARS)
        int maxTextChars();

        /** The deepest nesting of arrays and objects a JSON body may have (400 beyond). */
        @WithDefault("64")
        int maxJsonDepth();

        /** The most characters one JSON number may have (400 beyond). */
        @WithDefault("100")
        int maxJsonNumberLength();

        /** The most elements one Open Inference Protocol input tensor may declare (413 beyond), checked before its data is read. */
        @WithDefault("16777216")
        long maxTensorElements();
    }

    interface Audio {
        /**
         * The ffmpeg that decodes audio containers other than WAV (FLAC, MP3, OGG, M4A): {@code auto}
         * finds one on the PATH, {@code off} refuses them with 415, anything else is its path.
         */
        @WithDefault("auto")
        String ffmpeg();

        /** How long one ffmpeg decode may run before it is killed (the request then gets 400). */
        @WithDefault(StandardDefaults.FFMPEG_TIMEOUT)
        Duration ffmpegTimeout();

        /** Live recognition over WebSocket ({@code /v1/audio/stream}). */
        Stream stream();
    }

    /** A live stream's limits (each closes the stream with a code and a reason) and its utterances. */
    interface Stream {
        /** The longest stream, in seconds of audio received. */
        @WithDefault("3600")
        double maxSeconds();

        /** How long a stream may send nothing before it is closed. */
        @WithDefault("10s")
        Duration idleTimeout();

        /** The most audio frames a stream may send per second, over any one second. */
        @WithDefault("100")
        int maxFramesPerSecond();

        /**
         * The largest audio message, in bytes (1 s of 16 kHz PCM16); under the HTTP server's own
         * WebSocket frame limit of 64 KiB, beyond which the connection is dropped without a reason.
         */
        @WithDefault("32768")
        int maxFrameBytes();

        /** The most streams one model serves at once; the next is refused. */
        @WithDefault("8")
        int perModel();

        /** The silence that ends an utterance (its final text is sent). */
        @WithDefault("0.6")
        double pauseSeconds();

        /** The longest utterance: a final is sent when one reaches it (it bounds what a partial re-decodes). */
        @WithDefault("15")
        double maxUtteranceSeconds();

        /** How much new audio of an utterance brings its next partial text. */
        @WithDefault("0.5")
        double partialSeconds();

        /** Root-mean-square level below which 30 ms of audio counts as silence (0.01 is -40 dBFS). */
        @WithDefault("0.01")
        double silenceLevel();

        /**
         * Whether a CTC model's partials decode frame-synchronously (only the look-back before
         * their commit point and the audio since) instead of re-decoding the utterance; off, each
         * partial re-decodes the utterance so far.
         */
        @WithDefault("true")
        boolean frameSynchronous();

        /**
         * A CTC model's frame-synchronous partials decode only this much audio before their commit
         * point (left context), not the whole utterance.
         */
        @WithDefault("2")
        double lookBackSeconds();

        /** The end of the audio a CTC model's partial leaves tentative: the next partial hears what follows it. */
        @WithDefault("0.3")
        double rightContextSeconds();
    }

    /** Loading, unloading and reloading models over HTTP ({@code /v2/repository}): off unless turned on, then only with the token. */
    interface Management {
        @WithDefault("false")
        boolean enabled();

        /** The bearer token management calls must present (env INFERA_MANAGEMENT_TOKEN); required when enabled. */
        Optional<String> token();

        /** How long an unloaded or replaced model version may run what it has queued. */
        @WithDefault("30s")
        Duration drainGrace();
    }

    /** Who may call the inference and model routes. */
    interface Auth {
        /** API keys (Authorization: Bearer or X-API-Key) for /v1/* and /v2/models/*; none set: those routes are open. */
        Optional<List<String>> apiKeys();
    }

    /** The continuous batching of text-generation models. */
    interface Generation {
        /** Sequences decoded together in one step. */
        @WithDefault(StandardDefaults.GENERATION_MAX_SEQUENCES)
        int maxSequences();

        /** Sequences waiting to join the running batch; more get 429. */
        @WithDefault(StandardDefaults.GENERATION_MAX_QUEUED)
        int maxQueued();

        /** Prompt tokens that may join the running batch in one step (a longer prompt runs alone). */
        @WithDefault(StandardDefaults.GENERATION_MAX_STEP_TOKENS)
        int maxStepTokens();
    }
}
