package io.infera.tasks;

import io.infera.batching.BatchObserver;
import io.infera.generation.GenerationLimits;
import io.infera.generation.GenerationObserver;
import io.infera.runtime.Backend;

/**
 * What the loader has opened for a task model when {@link Tasks} makes its task: the model's files
 * and settings, its first backend session and how many it runs, how to open the folder's other
 * ONNX files, the server's limits, and where the pipeline reports what it does.
 *
 * @param stageObserver the observer of a batcher a pipeline makes for a stage of its own (OCR's recogniser)
 */
public record ModelParts(
        TaskContext context,
        Backend backend,
        int instances,
        OnnxFileOpener opener,
        GenerationLimits generation,
        int maxNewTokens,
        int maxTextChars,
        PipelineObserver pipelineObserver,
        GenerationObserver generationObserver,
        BatchObserver stageObserver) {}
