package io.infera.offline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infera.tasks.Pipeline;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * Scores records through a model's pipeline (the same one the HTTP route uses) and writes the
 * answers in input order: up to {@code inFlight} records are submitted at once (preprocessed on
 * worker threads, batched by the model's batcher), and the oldest is written as soon as it is done.
 */
final class OfflineScorer {

    /** A submitted record and its answer to come. */
    private record Pending(long number, CompletableFuture<JsonNode> answer) {}

    private final Pipeline pipeline;
    private final ObjectMapper json;
    private final ExecutorService workers;
    private final JsonNode commonParameters;
    private final int inFlight;

    OfflineScorer(
            Pipeline pipeline, ObjectMapper json, ExecutorService workers, JsonNode commonParameters, int inFlight) {
        this.pipeline = pipeline;
        this.json = json;
        this.workers = workers;
        this.commonParameters = commonParameters;
        this.inFlight = inFlight;
    }

    void score(RecordSource records, ResumableOutput output, Progress progress) throws IOException {
        Deque<Pending> window = new ArrayDeque<>();
        while (records.hasNext()) {
            RecordSource.Record record = records.next();
            window.add(new Pending(record.number(), submit(record)));
            while (window.size() >= inFlight) {
                writeOldest(window, output, progress);
            }
        }
        while (!window.isEmpty()) {
            writeOldest(window, output, progress);
        }
        output.flush();
    }

    private CompletableFuture<JsonNode> submit(RecordSource.Record record) {
        if (record.unreadable() != null) {
            return CompletableFuture.completedFuture(FailedRecord.unreadable(record.unreadable(), json));
        }
        // preprocessing (decoding, tokenizing) happens inside predict: on the workers, one per core
        return CompletableFuture.supplyAsync(
                        () -> RecordAnswer.of(pipeline, withCommonParameters(record.request()), json), workers)
                .thenCompose(answer -> answer);
    }

    /** --parameters under the record's own. */
    private JsonNode withCommonParameters(JsonNode request) {
        if (commonParameters.isEmpty() || !request.isObject()) {
            return request;
        }
        ObjectNode merged = ((ObjectNode) request).deepCopy();
        ObjectNode parameters = ((ObjectNode) commonParameters).deepCopy();
        if (request.path("parameters").isObject()) {
            parameters.setAll((ObjectNode) request.path("parameters"));
        }
        merged.set("parameters", parameters);
        return merged;
    }

    private void writeOldest(Deque<Pending> window, ResumableOutput output, Progress progress) throws IOException {
        Pending oldest = window.poll();
        JsonNode answer = oldest.answer().join();
        output.write(json.writeValueAsString(answer));
        progress.recordDone(answer.has("error")
                && answer.size() == 1
                && answer.path("error").has("status"));
    }
}
