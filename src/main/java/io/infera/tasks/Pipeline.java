package io.infera.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infera.batching.BatchingMode;
import io.infera.batching.Scheduler;
import io.infera.errors.InvalidInputException;
import io.infera.processing.text.Tokenizer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A model's request path for its task: the API, the offline scorer and Spark hand it items and
 * parameters and get one result per item. {@link TaskPipeline} serves the one-pass tasks through
 * the dynamic batcher; text generation has its own.
 */
public interface Pipeline {

    /** The one parameter every task takes: the request's time budget in milliseconds. */
    String TIMEOUT_PARAMETER = "timeout_ms";

    TaskType taskType();

    /**
     * Answers every item, one result per item in input order.
     *
     * @param timeout the time budget unless the parameters set {@code timeout_ms}; null for none
     * @throws io.infera.errors.InferaException for bad input or a full queue, before anything runs
     */
    CompletableFuture<List<Object>> predict(List<TaskInput> inputs, JsonNode parameters, Duration timeout);

    /**
     * Refuses a request at once when the queue its work would join is full, before the request is
     * decoded or tokenized: under a burst a refusal then costs a look at the queue's size.
     *
     * @throws io.infera.errors.OverloadedException when the queue is full now
     */
    void admit();

    /**
     * The answer to a request that sent a list of items, from the items' results: the list itself,
     * except where the transformers pipeline shapes a list's answer otherwise.
     */
    default List<Object> batchAnswer(List<Object> results) {
        return results;
    }

    /**
     * How a pipeline with a scheduler of its own (generation) shares runs between requests; empty
     * for pipelines that go through the model's dynamic batcher.
     */
    default Optional<BatchingMode> batching() {
        return Optional.empty();
    }

    /**
     * The tokenizer the pipeline reads text with, for the tokenize routes; empty for models that
     * read no text.
     */
    default Optional<Tokenizer> tokenizer() {
        return Optional.empty();
    }

    /** Lets work in progress finish for at most {@code grace}, then frees what the pipeline holds itself. */
    default void close(Duration grace) {}

    /** serving.yaml's default parameters, overridden field by field by the request's. */
    static JsonNode withDefaults(JsonNode defaults, JsonNode parameters) {
        if (defaults == null || defaults.isEmpty()) {
            return parameters;
        }
        if (parameters == null || parameters.isNull() || parameters.isMissingNode()) {
            return defaults;
        }
        if (!parameters.isObject()) {
            return parameters; // Parameters.of reports the type error
        }
        ObjectNode merged = ((ObjectNode) defaults).deepCopy();
        merged.setAll((ObjectNode) parameters);
        return merged;
    }

    /** The scheduler's deadline for a request that started at {@code start} with this budget. */
    static long deadline(long start, Duration timeout) {
        if (timeout == null || timeout.isZero() || timeout.isNegative()) {
            return Scheduler.NO_DEADLINE;
        }
        // a budget of centuries (X-Timeout-Ms: 9223372036854775807) is no deadline, not an overflow
        long nanos = timeout.compareTo(Duration.ofDays(365)) > 0 ? Long.MAX_VALUE : timeout.toNanos();
        long deadline = start + nanos;
        return deadline < start ? Scheduler.NO_DEADLINE : deadline;
    }

    /** One text against the limit of characters, before tokenizing. */
    static void checkTextLength(String text, String field, int maxTextChars) {
        if (text.length() > maxTextChars) {
            throw new InvalidInputException(
                    field,
                    "text of " + text.length() + " characters is over the limit of " + maxTextChars
                            + " (infera.limits.max-text-chars)");
        }
    }

    /** Every string in a text item (text, pair, question, context, choices) against the limit, before tokenizing. */
    static void checkTextLength(JsonNode value, String field, int maxTextChars) {
        if (value.isTextual()) {
            checkTextLength(value.asText(), field, maxTextChars);
        } else if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                checkTextLength(value.get(i), field + "[" + i + "]", maxTextChars);
            }
        } else if (value.isObject()) {
            value.properties().forEach(e -> checkTextLength(e.getValue(), field + "." + e.getKey(), maxTextChars));
        }
    }
}
