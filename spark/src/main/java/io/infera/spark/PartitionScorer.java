package io.infera.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infera.offline.FailedRecord;
import io.infera.offline.RecordAnswer;
import io.infera.tasks.Pipeline;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * One partition's rows through the executor's model: rows are submitted a chunk at a time, so
 * the model's batcher forms batches across them, and come out in order with the answer (JSON)
 * appended — or the error, for a row that fails; a failing row never fails the task.
 */
final class PartitionScorer implements Iterator<Row> {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Iterator<Row> rows;
    private final Pipeline pipeline;
    private final int column;
    private final JsonNode parameters;
    private final int chunk;
    private final List<Row> pendingRows = new ArrayList<>();
    private final List<CompletableFuture<JsonNode>> pendingAnswers = new ArrayList<>();
    private int next;

    PartitionScorer(Iterator<Row> rows, Pipeline pipeline, int column, JsonNode parameters, int chunk) {
        this.rows = rows;
        this.pipeline = pipeline;
        this.column = column;
        this.parameters = parameters;
        this.chunk = chunk;
    }

    @Override
    public boolean hasNext() {
        if (next < pendingRows.size()) {
            return true;
        }
        pendingRows.clear();
        pendingAnswers.clear();
        next = 0;
        while (pendingRows.size() < chunk && rows.hasNext()) {
            Row row = rows.next();
            pendingRows.add(row);
            pendingAnswers.add(answer(row));
        }
        return !pendingRows.isEmpty();
    }

    @Override
    public Row next() {
        if (!hasNext()) {
            throw new java.util.NoSuchElementException();
        }
        Row row = pendingRows.get(next);
        JsonNode answer = pendingAnswers.get(next).join();
        next++;
        Object[] values = new Object[row.length() + 1];
        for (int i = 0; i < row.length(); i++) {
            values[i] = row.get(i);
        }
        try {
            values[row.length()] = JSON.writeValueAsString(answer);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return RowFactory.create(values);
    }

    private CompletableFuture<JsonNode> answer(Row row) {
        Object value = row.isNullAt(column) ? null : row.get(column);
        if (value == null) {
            return CompletableFuture.completedFuture(FailedRecord.of(
                    new io.infera.errors.InvalidInputException("inputs", "the column is null in this row"), JSON));
        }
        ObjectNode request = JSON.createObjectNode();
        // text as is; bytes (an image or audio column) as base64, which the binary tasks read
        request.put(
                "inputs", value instanceof byte[] bytes ? Base64.getEncoder().encodeToString(bytes) : value.toString());
        request.set("parameters", parameters);
        return RecordAnswer.of(pipeline, request, JSON);
    }
}
