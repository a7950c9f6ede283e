package io.infera.offline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infera.errors.Failures;
import io.infera.tasks.Pipeline;
import io.infera.tasks.TaskRequest;
import java.util.concurrent.CompletableFuture;

/**
 * One record's answer as JSON, the same for the score command and the Spark job: the request
 * ({"inputs", "parameters"}) through the pipeline, the answer as the HTTP route writes it, or the
 * record's {"error": ...} — never a failed future, so one bad record never stops a run.
 */
public final class RecordAnswer {

    private RecordAnswer() {}

    public static CompletableFuture<JsonNode> of(Pipeline pipeline, JsonNode request, ObjectMapper json) {
        try {
            TaskRequest parsed = TaskRequest.fromObject(request, Integer.MAX_VALUE);
            return pipeline.predict(parsed.items(), parsed.parameters(), null)
                    .thenApply(results -> (JsonNode) json.valueToTree(parsed.batch() ? results : results.getFirst()))
                    .exceptionally(error -> FailedRecord.of(Failures.unwrap(error), json));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(FailedRecord.of(e, json));
        }
    }
}
