package io.infera.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.batching.Row;
import io.infera.batching.Scheduler;
import io.infera.processing.text.Tokenizer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * The request path of a task model, the same online, offline and on Spark: parameters, preprocess
 * every item, hand all their rows to the scheduler, postprocess each item from its own rows.
 */
public final class TaskPipeline implements Pipeline {

    private final Task<?, ?> task;
    private final Scheduler scheduler;
    private final JsonNode defaultParameters;
    private final PipelineObserver observer;
    private final int maxTextChars;

    /** @param maxTextChars the longest string a text task's input may hold */
    public TaskPipeline(
            Task<?, ?> task,
            Scheduler scheduler,
            JsonNode defaultParameters,
            int maxTextChars,
            PipelineObserver observer) {
        this.task = task;
        this.scheduler = scheduler;
        this.defaultParameters = defaultParameters;
        this.maxTextChars = maxTextChars;
        this.observer = observer;
    }

    @Override
    public void admit() {
        scheduler.admit();
    }

    @Override
    public Optional<Tokenizer> tokenizer() {
        return task instanceof TextTask<?, ?> text ? Optional.of(text.encoder().tokenizer()) : Optional.empty();
    }

    @Override
    public TaskType taskType() {
        return task.type();
    }

    @Override
    public CompletableFuture<List<Object>> predict(List<TaskInput> inputs, JsonNode parameters, Duration timeout) {
        long start = System.nanoTime();
        return run(task, inputs, parameters, timeout, start);
    }

    private <P, C> CompletableFuture<List<Object>> run(
            Task<P, C> task, List<TaskInput> inputs, JsonNode parameters, Duration timeout, long start) {
        Parameters reader = Parameters.of(withDefaults(parameters));
        OptionalInt timeoutMs = reader.count(TIMEOUT_PARAMETER, OptionalInt.empty());
        P parsed = task.parameters(reader);
        reader.rejectUnread(task.type().wireName());
        long deadline =
                Pipeline.deadline(start, timeoutMs.isPresent() ? Duration.ofMillis(timeoutMs.getAsInt()) : timeout);

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
            if (observer.watchesAnswers()) {
                results.forEach(result -> observer.answered(AnswerSummary.of(result)));
            }
            return results;
        });
    }

    /** Frees the task (its tokenizer's native memory); the scheduler has drained by now. */
    @Override
    public void close(Duration grace) {
        task.close();
    }

    /** Every string in a text item (text, pair, question, context, choices) against the limit, before tokenizing. */
    private void checkTextLength(JsonNode value, String field) {
        Pipeline.checkTextLength(value, field, maxTextChars);
    }

    private JsonNode withDefaults(JsonNode parameters) {
        return Pipeline.withDefaults(defaultParameters, parameters);
    }
}
