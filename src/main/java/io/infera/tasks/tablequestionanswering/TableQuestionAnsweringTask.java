package io.infera.tasks.tablequestionanswering;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.infera.batching.Row;
import io.infera.errors.InvalidInputException;
import io.infera.errors.ModelLoadException;
import io.infera.processing.text.Tokenizer;
import io.infera.runtime.Tensor;
import io.infera.tasks.Parameters;
import io.infera.tasks.Preprocessed;
import io.infera.tasks.Task;
import io.infera.tasks.TaskContext;
import io.infera.tasks.TaskInput;
import io.infera.tasks.TaskType;
import io.infera.tasks.TextEncoders;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Table question answering with TAPAS-style models, as the transformers pipeline answers it:
 * {@code {table: {column: [values]}, query}} is serialised with the TAPAS token types, the cells
 * whose tokens' mean selection probability exceeds 0.5 are the answer, and the aggregation head
 * names the operator (NONE, SUM, AVERAGE, COUNT).
 */
public final class TableQuestionAnsweringTask implements Task<Void, TableQuestionAnsweringTask.Context> {

    private static final double CELL_THRESHOLD = 0.5;

    private final Tokenizer tokenizer;
    private final TableEncoder encoder;
    private final List<String> aggregationLabels;
    private final int noAggregationIndex;

    /** The table and its serialisation, kept for postprocessing. */
    record Context(Table table, TableEncoder.Encoded encoded) {}

    /** The pipeline's answer; {@code aggregator} only for models with an aggregation head. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Answer(String answer, List<List<Integer>> coordinates, List<String> cells, String aggregator) {}

    private TableQuestionAnsweringTask(
            Tokenizer tokenizer, TableEncoder encoder, List<String> aggregationLabels, int noAggregationIndex) {
        this.tokenizer = tokenizer;
        this.encoder = encoder;
        this.aggregationLabels = aggregationLabels;
        this.noAggregationIndex = noAggregationIndex;
    }

    public static TableQuestionAnsweringTask create(TaskContext context) throws ModelLoadException {
        if (context.output("logits").isEmpty()) {
            throw new ModelLoadException(
                    "table-question-answering needs an output logits [batch, sequence]; the model has "
                            + context.outputs());
        }
        if (context.input("token_type_ids").map(s -> s.rank() != 3).orElse(true)) {
            throw new ModelLoadException(
                    "table-question-answering needs a TAPAS input token_type_ids [batch, sequence, 7]");
        }
        Tokenizer tokenizer = TextEncoders.tokenizer(context);
        try {
            long cls = special(tokenizer, "[CLS]");
            long sep = special(tokenizer, "[SEP]");
            special(tokenizer, "[EMPTY]");
            JsonNode config = context.config().json();
            List<String> labels = new ArrayList<>();
            if (context.output("logits_aggregation").isPresent()
                    && config.path("num_aggregation_labels").asInt(0) > 0) {
                TreeMap<Integer, String> byIndex = new TreeMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it =
                                config.path("aggregation_labels").fields();
                        it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    byIndex.put(Integer.parseInt(e.getKey()), e.getValue().asText());
                }
                labels.addAll(byIndex.values());
            }
            TableEncoder encoder = new TableEncoder(tokenizer, cls, sep, "[EMPTY]", tokenizer.maxLength());
            return new TableQuestionAnsweringTask(
                    tokenizer,
                    encoder,
                    List.copyOf(labels),
                    config.path("no_aggregation_label_index").asInt(0));
        } catch (ModelLoadException | RuntimeException e) {
            tokenizer.close();
            throw e instanceof ModelLoadException m ? m : new ModelLoadException(e.getMessage(), e);
        }
    }

    private static long special(Tokenizer tokenizer, String token) throws ModelLoadException {
        return tokenizer
                .vocabularyId(token)
                .orElseThrow(() -> new ModelLoadException("a TAPAS vocabulary needs the token " + token));
    }

    @Override
    public TaskType type() {
        return TaskType.TABLE_QUESTION_ANSWERING;
    }

    @Override
    public boolean readsText() {
        return true;
    }

    @Override
    public Void parameters(Parameters parameters) {
        return null;
    }

    @Override
    public Preprocessed<Context> preprocess(TaskInput input, Void parameters) {
        if (!(input instanceof TaskInput.Json json) || !json.value().isObject()) {
            throw new InvalidInputException(
                    input.field(), "expected {\"table\": {column: [values]}, \"query\": string}");
        }
        JsonNode query = json.value().get("query");
        if (query == null || !query.isTextual() || query.asText().isEmpty()) {
            throw new InvalidInputException(
                    input.field() + ".query", query == null ? "required" : "expected a non-empty string");
        }
        Table table = table(json.value().get("table"), input.field() + ".table");
        TableEncoder.Encoded encoded = encoder.encode(table, query.asText(), input.field());
        int n = encoded.length();
        long[] mask = new long[n];
        java.util.Arrays.fill(mask, 1);
        Row row = new Row(
                Map.of(
                        "input_ids", Tensor.of(encoded.ids(), n),
                        "attention_mask", Tensor.of(mask, n),
                        "token_type_ids", Tensor.of(encoded.tokenTypes(), n, TableEncoder.TOKEN_TYPES)),
                n);
        return Preprocessed.single(row, new Context(table, encoded));
    }

    /** {column: [cells]} with columns of equal length; numbers are taken as their text. */
    private static Table table(JsonNode node, String field) {
        if (node == null || !node.isObject()) {
            throw new InvalidInputException(field, node == null ? "required" : "expected an object {column: [values]}");
        }
        if (node.isEmpty()) {
            throw new InvalidInputException(field, "the table has no columns");
        }
        List<String> columns = new ArrayList<>();
        List<List<String>> byColumn = new ArrayList<>();
        Integer height = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> column = it.next();
            String at = field + "." + column.getKey();
            if (!column.getValue().isArray()) {
                throw new InvalidInputException(at, "expected a list of cell values");
            }
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < column.getValue().size(); i++) {
                JsonNode cell = column.getValue().get(i);
                if (!cell.isTextual() && !cell.isNumber()) {
                    throw new InvalidInputException(at + "[" + i + "]", "expected a string or a number");
                }
                cells.add(cell.asText());
            }
            if (height != null && cells.size() != height) {
                throw new InvalidInputException(
                        at,
                        "has " + cells.size() + " values, the first column " + height
                                + ": columns must have the same length");
            }
            height = cells.size();
            columns.add(column.getKey());
            byColumn.add(cells);
        }
        if (height == 0) {
            throw new InvalidInputException(field, "the table has no rows");
        }
        List<List<String>> rows = new ArrayList<>();
        for (int r = 0; r < height; r++) {
            List<String> row = new ArrayList<>();
            for (List<String> column : byColumn) {
                row.add(column.get(r));
            }
            rows.add(row);
        }
        return new Table(List.copyOf(columns), rows);
    }

    @Override
    public Object postprocess(Context context, List<Map<String, Tensor>> outputs, Void parameters) {
        float[] logits = outputs.getFirst().get("logits").toFloats();
        long[] types = context.encoded().tokenTypes();
        int n = context.encoded().length();
        // Mean selection probability per data cell, over its tokens (as convert_logits_to_predictions).
        Map<List<Integer>, double[]> sums = new java.util.HashMap<>();
        int width = 0;
        int height = 0;
        for (int i = 0; i < n; i++) {
            int segment = (int) types[i * TableEncoder.TOKEN_TYPES];
            int column = (int) types[i * TableEncoder.TOKEN_TYPES + 1];
            int row = (int) types[i * TableEncoder.TOKEN_TYPES + 2];
            width = Math.max(width, column);
            height = Math.max(height, row);
            if (column > 0 && row > 0 && segment == 1) {
                double p = 1 / (1 + Math.exp(-Math.max(logits[i], -88.7f)));
                sums.computeIfAbsent(List.of(column - 1, row - 1), k -> new double[2]);
                double[] s = sums.get(List.of(column - 1, row - 1));
                s[0] += (float) p;
                s[1]++;
            }
        }
        List<List<Integer>> coordinates = new ArrayList<>();
        for (int column = 0; column < width; column++) {
            for (int row = 0; row < height; row++) {
                double[] s = sums.get(List.of(column, row));
                if (s != null && s[0] / s[1] > CELL_THRESHOLD) {
                    coordinates.add(List.of(row, column));
                }
            }
        }
        coordinates.sort((a, b) ->
                a.get(0).equals(b.get(0)) ? Integer.compare(a.get(1), b.get(1)) : Integer.compare(a.get(0), b.get(0)));
        List<String> cells = coordinates.stream()
                .map(c -> context.table().cell(c.get(0), c.get(1)))
                .toList();
        String aggregator = null;
        String prefix = "";
        if (!aggregationLabels.isEmpty() && outputs.getFirst().containsKey("logits_aggregation")) {
            float[] aggregation = outputs.getFirst().get("logits_aggregation").toFloats();
            int best = 0;
            for (int i = 1; i < aggregation.length; i++) {
                if (aggregation[i] > aggregation[best]) {
                    best = i;
                }
            }
            aggregator = aggregationLabels.get(best);
            prefix = best == noAggregationIndex ? "" : aggregator + " > ";
        }
        return new Answer(prefix + String.join(", ", cells), coordinates, cells, aggregator);
    }

    @Override
    public Optional<Row> warmupRow(int length) {
        int n = Math.min(length, tokenizer.maxLength());
        long[] ids = new long[n];
        long[] ones = new long[n];
        java.util.Arrays.fill(ones, 1);
        return Optional.of(new Row(
                Map.of(
                        "input_ids", Tensor.of(ids, n),
                        "attention_mask", Tensor.of(ones, n),
                        "token_type_ids",
                                Tensor.of(new long[n * TableEncoder.TOKEN_TYPES], n, TableEncoder.TOKEN_TYPES)),
                n));
    }

    @Override
    public Map<String, Number> padValues() {
        return Map.of("input_ids", tokenizer.padTokenId());
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
