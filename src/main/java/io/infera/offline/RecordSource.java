package io.infera.offline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The input records as task requests ({"inputs", "parameters"}), streamed: a JSONL line is a
 * request, or with --column its field is the input; a CSV row's column is the input. A line that
 * is not JSON becomes a request that fails with that reason, so it is answered in its place.
 */
final class RecordSource implements Iterator<RecordSource.Record>, Closeable {

    /** One input record: its request, or why it cannot be read. */
    record Record(long number, JsonNode request, String unreadable) {}

    private final ObjectMapper json;
    private final ScoreOptions options;
    private final BufferedReader lines;
    private final MappingIterator<Map<String, String>> rows;
    private long number;
    private String nextLine;

    RecordSource(ScoreOptions options, ObjectMapper json) throws IOException {
        this.json = json;
        this.options = options;
        if (options.csv()) {
            this.lines = null;
            this.rows = new CsvMapper()
                    .readerForMapOf(String.class)
                    .with(CsvSchema.emptySchema().withHeader())
                    .readValues(Files.newBufferedReader(options.input(), StandardCharsets.UTF_8));
        } else {
            this.lines = Files.newBufferedReader(options.input(), StandardCharsets.UTF_8);
            this.rows = null;
        }
    }

    /** Counts the records without keeping them (for the progress bar's total). */
    static long count(ScoreOptions options, ObjectMapper json) throws IOException {
        try (RecordSource source = new RecordSource(options, json)) {
            long n = 0;
            while (source.skipOne()) {
                n++;
            }
            return n;
        }
    }

    /** Skips a record without parsing it; false at the end. */
    boolean skipOne() {
        if (!hasNext()) {
            return false;
        }
        if (rows != null) {
            rows.next();
        } else {
            nextLine = null;
        }
        number++;
        return true;
    }

    @Override
    public boolean hasNext() {
        if (rows != null) {
            return rows.hasNext();
        }
        try {
            while (nextLine == null) {
                String line = lines.readLine();
                if (line == null) {
                    return false;
                }
                if (!line.isBlank()) {
                    nextLine = line;
                }
            }
            return true;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public Record next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        number++;
        if (rows != null) {
            Map<String, String> row = rows.next();
            String column = options.column().orElseThrow();
            if (!row.containsKey(column)) {
                return new Record(number, null, "the row has no column '" + column + "'");
            }
            return new Record(number, request(json.getNodeFactory().textNode(row.get(column)), null), null);
        }
        String line = nextLine;
        nextLine = null;
        try {
            JsonNode node = json.readTree(line);
            if (options.column().isEmpty()) {
                return new Record(number, node, null);
            }
            JsonNode input = node.path(options.column().get());
            return input.isMissingNode()
                    ? new Record(
                            number,
                            null,
                            "the record has no field '" + options.column().get() + "'")
                    : new Record(number, request(input, null), null);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return new Record(number, null, "not JSON: " + e.getOriginalMessage());
        }
    }

    private JsonNode request(JsonNode inputs, JsonNode parameters) {
        ObjectNode request = json.createObjectNode();
        request.set("inputs", inputs);
        if (parameters != null) {
            request.set("parameters", parameters);
        }
        return request;
    }

    @Override
    public void close() throws IOException {
        if (lines != null) {
            lines.close();
        }
        if (rows != null) {
            rows.close();
        }
    }
}
