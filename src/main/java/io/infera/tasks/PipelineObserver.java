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

    /** Whether the input methods below want to hear of each input (measuring one costs a pass over it). */
    default boolean watchesInputs() {
        return false;
    }

    /** One text row the model reads: its tokens, how many are the unknown token, and whether text was cut off. */
    default void text(int tokens, int unknownTokens, boolean truncated) {}

    /** One decoded picture: its size and mean brightness (0 black to 1 white). */
    default void image(int width, int height, double brightness) {}

    /** One decoded clip, in seconds. */
    default void audio(double seconds) {}
}
