package io.infera.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infera.batching.Scheduler;
import io.infera.runtime.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A model's request path, the same online, offline and on Spark: parameters, preprocess every item,
 * run all their rows through the scheduler, postprocess each item from its own rows.
 */
public final class Pipeline {

    private final Task<?, ?> task;
    private final Scheduler scheduler;
    private final JsonNode defaultParameters;

    public Pipeline(Task<?, ?> task, Scheduler scheduler, JsonNode defaultParameters) {
        this.task = task;
        this.scheduler = scheduler;
        this.defaultParameters = defaultParameters;
    }

    public TaskType taskType() {
        return task.type();
    }

    /**
     * Answers every item, one result per item in input order.
     *
     * @throws io.infera.errors.InferaException for bad input, synchronously, before anything runs
     */
    public CompletableFuture<List<Object>> predict(List<TaskInput> inputs, JsonNode parameters) {
        return run(task, inputs, parameters);
    }

    private <P, C> CompletableFuture<List<Object>> run(Task<P, C> task, List<TaskInput> inputs, JsonNode parameters) {
        Parameters reader = Parameters.of(withDefaults(parameters));
        P parsed = task.parameters(reader);
        reader.rejectUnread(task.type().wireName());

        List<Preprocessed<C>> items = new ArrayList<>(inputs.size());
        List<Map<String, Tensor>> rows = new ArrayList<>();
        for (TaskInput input : inputs) {
            Preprocessed<C> item = task.preprocess(input, parsed);
            items.add(item);
            rows.addAll(item.rows());
        }
        return scheduler.submit(rows).thenApply(outputs -> {
            List<Object> results = new ArrayList<>(items.size());
            int next = 0;
            for (Preprocessed<C> item : items) {
                int count = item.rows().size();
                results.add(task.postprocess(item.context(), outputs.subList(next, next + count), parsed));
                next += count;
            }
            return results;
        });
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
