package io.infera.tasks;

import io.infera.batching.BatchingPolicy;
import io.infera.batching.DynamicBatcher;
import io.infera.runtime.Backend;
import io.infera.runtime.BatchCoupling;
import io.infera.tasks.ocr.OcrPipeline;
import io.infera.tasks.ocr.OcrStages;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A model's task between loading and serving. {@link Tasks} makes it from the model's parts; the
 * loader then warms the backend up with its rows, makes the model's batcher with its pad values,
 * and asks it for the pipeline that serves requests. Every task type has one, text generation
 * and OCR included.
 */
public sealed interface TaskModel {

    TaskType type();

    /** The one-pass task whose rows warm the backend up and that the model's batcher runs, if any. */
    default Optional<Task<?, ?>> onePass() {
        return Optional.empty();
    }

    /** What the model's batcher pads its rows with. */
    default Map<String, Number> padValues() {
        return Map.of();
    }

    /** The pipeline that serves requests; {@code batcher} is the model's (generation schedules on its own). */
    Pipeline pipeline(DynamicBatcher batcher, BatchingPolicy policy);

    /** Frees what it holds, when loading fails before its pipeline serves. */
    void close();

    /** A task that runs one pass per item through the model's batcher. */
    record OnePass(Task<?, ?> task, ModelParts parts) implements TaskModel {

        @Override
        public TaskType type() {
            return task.type();
        }

        @Override
        public Optional<Task<?, ?>> onePass() {
            return Optional.of(task);
        }

        @Override
        public Map<String, Number> padValues() {
            return task.padValues();
        }

        @Override
        public Pipeline pipeline(DynamicBatcher batcher, BatchingPolicy policy) {
            return new TaskPipeline(
                    task,
                    batcher,
                    parts.context().settings().defaultParameters(),
                    parts.maxTextChars(),
                    parts.pipelineObserver());
        }

        @Override
        public void close() {
            task.close();
        }
    }

    /** Text generation, which schedules its steps itself: the pipeline is whole when it loads. */
    record Generating(Pipeline pipeline) implements TaskModel {

        @Override
        public TaskType type() {
            return pipeline.taskType();
        }

        @Override
        public Pipeline pipeline(DynamicBatcher batcher, BatchingPolicy policy) {
            return pipeline;
        }

        @Override
        public void close() {
            pipeline.close(Duration.ZERO);
        }
    }

    /** OCR: the detector runs on the model's batcher; the recogniser gets one of its own, with the same policy. */
    record Ocr(OcrStages stages, ModelParts parts) implements TaskModel {

        @Override
        public TaskType type() {
            return TaskType.OCR;
        }

        @Override
        public Pipeline pipeline(DynamicBatcher batcher, BatchingPolicy policy) {
            // a recogniser whose rows would change each other's answers runs them one at a time
            BatchingPolicy lines =
                    BatchCoupling.of(stages.recognizerInstances().getFirst().operators())
                                    .isEmpty()
                            ? policy
                            : policy.oneRowAtATime();
            DynamicBatcher recognizer = new DynamicBatcher(
                    parts.context().modelName() + "/" + OcrStages.RECOGNIZER,
                    stages.recognizerInstances(),
                    lines,
                    Map.of(),
                    parts.stageObserver());
            return new OcrPipeline(
                    stages, batcher, recognizer, parts.context().settings().defaultParameters(), () -> {
                        recognizer.close();
                        stages.recognizerInstances().forEach(Backend::close);
                    });
        }

        @Override
        public void close() {
            stages.recognizer().close();
            stages.recognizerInstances().forEach(Backend::close);
        }
    }
}
