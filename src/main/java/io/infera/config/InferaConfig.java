package io.infera.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;

/** Server-wide settings under {@code infera.*}; every one can be set by environment variable (INFERA_...). */
@ConfigMapping(prefix = "infera")
public interface InferaConfig {

    /** The model repository: one sub-folder per model (env INFERA_MODELS_DIR). */
    @WithDefault("models")
    Path modelsDir();

    /** Where models run unless their serving.yaml says otherwise: cpu, cuda or cuda:N. */
    @WithDefault("cpu")
    String device();

    /** Threads that load models in parallel at start. */
    @WithDefault("2")
    int loadThreads();

    /** Readiness also requires that no model FAILED (Triton's strict readiness); off by default. */
    @WithDefault("false")
    boolean strictReadiness();

    Batching batching();

    Onnx onnx();

    Limits limits();

    interface Batching {
        /** The most rows one backend call takes, unless serving.yaml says otherwise. */
        @WithDefault("8")
        int maxBatchSize();
    }

    /** ONNX Runtime session defaults; serving.yaml's {@code onnx:} overrides them per model. */
    interface Onnx {
        /** Threads inside one operator; 0 lets ONNX Runtime use every core. */
        @WithDefault("0")
        int intraOpThreads();

        /** Threads across operators; 0 lets ONNX Runtime choose. */
        @WithDefault("0")
        int interOpThreads();

        /** Idle worker threads spin: lowest latency on an idle machine, wasted CPU under contention. */
        @WithDefault("true")
        boolean spinning();

        /** Graph optimisation: none, basic, extended or all. */
        @WithDefault("all")
        String optimizationLevel();
    }

    interface Limits {
        /** The most items in one request's inputs list (413 beyond). */
        @WithDefault("256")
        int maxItems();

        /** The largest image (width x height) accepted, read from its header before decoding (413 beyond). */
        @WithDefault("40000000")
        long maxImagePixels();
    }
}
