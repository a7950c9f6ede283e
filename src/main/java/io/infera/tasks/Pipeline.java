package io.infera.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infera.batching.Row;
import io.infera.batching.Scheduler;
import io.infera.errors.InvalidInputException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * A model's request path, the same online, offline and on Spark: parameters, preprocess every item,
 * hand all their rows to the scheduler, postprocess each item from its own rows.
 */
public final class Pipeline {

    /** The one parameter every task takes: the request's time budget in milliseconds. */
    public static final String TIMEOUT_PARAMETER = "timeout_ms";

    private final Task<?, ?> task;
    private final Scheduler scheduler;
    private final JsonNode defaultParameters;
    private final PipelineObserver observer;
    private final int maxTextChars;

    /** @param maxTextChars the longest string a text task's input may hold */
    public Pipeline(Task<?, ?> task, Scheduler scheduler, JsonNode defaultParameters, int maxTextChars, PipelineObserver observer) {
        this.task = task;
        this.scheduler = scheduler;
        this.defaultParameters = defaultParameters;
        this.maxTextChars = maxTextChars;
        this.observer = observer;
    }

    public TaskType taskType() {
        return task.type();
    }

    /**
     * Answers every item, one result per item in input order.
     *
     * @param timeout the time budget unless the parameters set {@code timeout_ms}; null for none
     * @throws io.infera.errors.InferaException for bad input or a full queue, before anything runs
     */
    public CompletableFuture<List<Object>> predict(List<TaskInput> inputs, JsonNode parameters, Duration timeout) {
        long start = System.nanoTime();
        return run(task, inputs, parameters, timeout, start);
    }

    private <P, C> CompletableFuture<List<Object>> run(Task<P, C> task, List<TaskInput> inputs, JsonNode parameters,
                                                       Duration timeout, long start) {
        Parameters reader = Parameters.of(withDefaults(parameters));
        OptionalInt timeoutMs = reader.count(TIMEOUT_PARAMETER, OptionalInt.empty());
        P parsed = task.parameters(reader);
        reader.rejectUnread(task.type().wireName());
        long deadline = deadline(start, timeoutMs.isPresent() ? Duration.ofMillis(timeoutMs.getAsInt()) : timeout);

        List<Preprocessed<C>> items = new ArrayList<>(inputs.size());
        List<Row> rows = new ArrayList<>();
        for (TaskInput input : inputs) {
            if (task.readsText() && input instanceof TaskInput.Json json) {
                checkTextLength(json.value(), json.field());
            }
            Preprocessed<C> item = task.preprocess(input, parsed);
            items.add(item);
            rows.addAll(item.rows());
        }
        observer.preprocessed(System.nanoTime() - start);
        return scheduler.submit(rows, deadline).thenApply(outputs -> {
            long postStart = System.nanoTime();
            List<Object> results = new ArrayList<>(items.size());
            int next = 0;
            for (Preprocessed<C> item : items) {
                int count = item.rows().size();
                results.add(task.postprocess(item.context(), outputs.subList(next, next + count), parsed));
                next += count;
            }
            observer.postprocessed(System.nanoTime() - postStart);
            return results;
        });
    }

    /** Every string in a text item (text, pair, question, context, choices) against the limit, before tokenizing. */
    private void checkTextLength(JsonNode value, String field) {
        if (value.isTextual()) {
            int length = value.asText().length();
            if (length > maxTextChars) {
                throw new InvalidInputException(field, "text of " + length + " characters is over the limit of "
                        + maxTextChars + " (infera.limits.max-text-chars)");
            }
        } else if (value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                checkTextLength(value.get(i), field + "[" + i + "]");
            }
        } else if (value.isObject()) {
            value.properties().forEach(e -> checkTextLength(e.getValue(), field + "." + e.getKey()));
        }
    }

    private static long deadline(long start, Duration timeout) {
        if (timeout == null || timeout.isZero() || timeout.isNegative()) {
            return Scheduler.NO_DEADLINE;
        }
        return start + timeout.toNanos();
    }

    /** serving.yaml's default parameters, overridden field by field by the request's. */
    private JsonNode withDefaults(JsonNode parameters) {
        if (defaultParameters == null || defaultParameters.isEmpty()) {
            return parameters;
        }
        if (parameters == null || parameters.isNull() || parameters.isMissingNode()) {
            return defaultParameters;
        }
        if (!parameters.isObject()) {
            return parameters; // Parameters.of reports the type error
        }
        ObjectNode merged = ((ObjectNode) defaultParameters).deepCopy();
        merged.setAll((ObjectNode) parameters);
        return merged;
    }
}
