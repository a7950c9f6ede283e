package io.infera.tasks;

/** Stage timings a pipeline reports, for metrics; implementations must be cheap and thread-safe. */
public interface PipelineObserver {

    PipelineObserver NONE = new PipelineObserver() {};

    /** All items of one request were preprocessed (decoded, tokenized ...) in this time. */
    default void preprocessed(long nanos) {}

    /** All items of one request were postprocessed in this time. */
    default void postprocessed(long nanos) {}

    /** Whether {@link #answered} wants the items' answers (summarising one costs a walk over it). */
    default boolean watchesAnswers() {
        return false;
    }

    /** One item's answer, summarised. */
    default void answered(AnswerSummary answer) {}
}
