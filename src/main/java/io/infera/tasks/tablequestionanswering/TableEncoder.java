package io.infera.tasks.tablequestionanswering;

import io.infera.errors.InvalidInputException;
import io.infera.processing.text.Encoding;
import io.infera.processing.text.Tokenizer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Serialises a question and a table as the TAPAS tokenizer does: [CLS] question [SEP] then the
 * header and the rows cell by cell, rows dropped from the end until the sequence fits, and per
 * token the seven TAPAS token types (segment, column, row, previous answer, column rank, inverse
 * column rank, numeric relation to the question).
 */
final class TableEncoder {

    static final int TOKEN_TYPES = 7;
    private static final String EMPTY_TEXT = "EMPTY";
    private static final Pattern NON_WORD = Pattern.compile("[^\\w\\d]+", Pattern.UNICODE_CHARACTER_CLASS);
    private static final double MIN_CONSOLIDATION_FRACTION = 0.7;
    private static final int EQ = 1;
    private static final int LT = 2;
    private static final int GT = 4;

    private final Tokenizer tokenizer;
    private final long clsId;
    private final long sepId;
    private final String emptyToken;
    private final int maxLength;

    /** The model's input for one question and table; {@code tokenTypes} is [tokens, 7] row-major. */
    record Encoded(long[] ids, long[] tokenTypes) {
        int length() {
            return ids.length;
        }
    }

    TableEncoder(Tokenizer tokenizer, long clsId, long sepId, String emptyToken, int maxLength) {
        this.tokenizer = tokenizer;
        this.clsId = clsId;
        this.sepId = sepId;
        this.emptyToken = emptyToken;
        this.maxLength = maxLength;
    }

    /** One serialised token of the table: its text, 1-based column and row (0 for the header). */
    private record TableToken(String token, int column, int row) {}

    Encoded encode(Table table, String query, String field) {
        List<String> question = tokenize(query);
        List<List<List<String>>> cells = new ArrayList<>();
        List<List<String>> header = new ArrayList<>();
        table.columns().forEach(c -> header.add(tokenize(c)));
        cells.add(header);
        for (List<String> row : table.rows()) {
            List<List<String>> tokenized = new ArrayList<>();
            row.forEach(c -> tokenized.add(tokenize(c)));
            cells.add(tokenized);
        }
        int columns = table.columns().size();
        if (columns >= maxLength) {
            throw new InvalidInputException(field + ".table", "too many columns (" + columns + ") for this model");
        }
        int rows = Math.min(table.rows().size(), maxLength - 1);
        int maxCellTokens = 0;
        for (List<List<String>> row : cells) {
            for (List<String> cell : row) {
                maxCellTokens = Math.max(maxCellTokens, cell.size());
            }
        }
        // drop_rows_to_fit: the most rows, and the most tokens per cell, that fit the budget.
        Integer cellTokens = null;
        while (true) {
            cellTokens = maxCellTokens(question, cells, columns, rows, maxCellTokens);
            if (cellTokens != null) {
                break;
            }
            rows--;
            if (rows < 1) {
                break;
            }
        }
        List<TableToken> values = values(cells, columns, rows, cellTokens == null || cellTokens == 0 ? 1 : cellTokens);
        int length = 2 + question.size() + values.size();
        if (length > maxLength) {
            throw new InvalidInputException(
                    field + ".query",
                    "the query and the table header take " + length + " tokens, more than the model's " + maxLength);
        }
        long[] ids = new long[length];
        long[] types = new long[length * TOKEN_TYPES];
        ids[0] = clsId;
        for (int i = 0; i < question.size(); i++) {
            ids[1 + i] = id(question.get(i));
        }
        ids[1 + question.size()] = sepId;
        int offset = 2 + question.size();
        for (int i = 0; i < values.size(); i++) {
            TableToken t = values.get(i);
            int at = offset + i;
            ids[at] = id(t.token());
            types[at * TOKEN_TYPES] = 1;
            types[at * TOKEN_TYPES + 1] = t.column();
            types[at * TOKEN_TYPES + 2] = t.row();
        }
        numericFeatures(table, query, types, length);
        return new Encoded(ids, types);
    }

    /**
     * The TAPAS tokenizer's tokenize: no tokens for an empty string (transformers skips it before
     * the tokenizer sees it), [EMPTY] for a text with nothing to read ("n/a", "?", " "), else WordPiece tokens.
     */
    private List<String> tokenize(String text) {
        if (text.isEmpty()) {
            return List.of();
        }
        if (formatText(text).equals(EMPTY_TEXT)) {
            return List.of(emptyToken);
        }
        Encoding encoding = tokenizer.encode(text, null);
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < encoding.length(); i++) {
            if (encoding.sequenceIds()[i] >= 0) {
                tokens.add(encoding.tokens()[i]);
            }
        }
        return tokens;
    }

    private long id(String token) {
        return tokenizer
                .vocabularyId(token)
                .orElseThrow(() -> new IllegalStateException("token " + token + " is not in the vocabulary"));
    }

    static String formatText(String text) {
        String t = text.toLowerCase(Locale.ROOT).strip();
        if (t.equals("n/a") || t.equals("?") || t.equals("nan")) {
            t = EMPTY_TEXT;
        }
        t = NON_WORD.matcher(t).replaceAll(" ").replace("_", " ");
        t = String.join(" ", t.strip().split("\\s+")).strip();
        return t.isEmpty() ? EMPTY_TEXT : t;
    }

    /** The tokenizer's _get_max_num_tokens: tokens per cell that fit, or null when fewer than needed and none. */
    private Integer maxCellTokens(
            List<String> question, List<List<List<String>>> cells, int columns, int rows, int maxCellTokens) {
        int budget = maxLength - (question.size() + 2);
        int tokens = 0;
        for (tokens = 0; tokens <= maxCellTokens; tokens++) {
            if (values(cells, columns, rows, tokens + 1).size() > budget) {
                break;
            }
        }
        if (tokens > maxCellTokens) {
            tokens = maxCellTokens;
        }
        if (tokens < maxCellTokens && tokens == 0) {
            return null;
        }
        return tokens;
    }

    /** Header and the first {@code rows} rows, cell by cell, each cell cut to whole words within {@code cellTokens}. */
    private static List<TableToken> values(List<List<List<String>>> cells, int columns, int rows, int cellTokens) {
        List<TableToken> out = new ArrayList<>();
        for (int row = 0; row < Math.min(cells.size(), rows + 1); row++) {
            for (int column = 0; column < Math.min(columns, cells.get(row).size()); column++) {
                List<String> cell = cells.get(row).get(column);
                for (int t = 0; t < cell.size(); t++) {
                    int wordBegin = t;
                    while (wordBegin >= 0 && cell.get(wordBegin).startsWith("##")) {
                        wordBegin--;
                    }
                    if (wordBegin >= cellTokens) {
                        continue;
                    }
                    out.add(new TableToken(cell.get(t), column + 1, row));
                }
            }
        }
        return out;
    }

    /** Column ranks, inverse ranks and numeric relations to the question, written into the token types. */
    private void numericFeatures(Table table, String query, long[] types, int length) {
        List<Map<Integer, NumericValue>> columnValues = new ArrayList<>();
        for (int column = 0; column < table.columns().size(); column++) {
            columnValues.add(consolidate(table, column));
        }
        for (int column = 0; column < columnValues.size(); column++) {
            Map<Integer, NumericValue> values = columnValues.get(column);
            if (values.isEmpty()) {
                continue;
            }
            SortKey key = SortKey.of(values.values());
            if (key == null) {
                continue;
            }
            TreeMap<List<Double>, List<Integer>> rowsByKey = new TreeMap<>(SortKey.ORDER);
            values.forEach((row, value) -> rowsByKey
                    .computeIfAbsent(key.apply(value), k -> new ArrayList<>())
                    .add(row));
            int rank = 0;
            int unique = rowsByKey.size();
            for (List<Integer> rowsWithValue : rowsByKey.values()) {
                rank++;
                for (int row : rowsWithValue) {
                    for (int index : cellTokens(types, length, column, row)) {
                        types[index * TOKEN_TYPES + 4] = rank;
                        types[index * TOKEN_TYPES + 5] = unique - rank + 1;
                    }
                }
            }
        }
        Map<List<Integer>, Integer> relations = new LinkedHashMap<>();
        for (NumericAnnotator.Span span : NumericAnnotator.parse(normalizeForMatch(query))) {
            for (NumericValue value : span.values()) {
                for (int column = 0; column < columnValues.size(); column++) {
                    Map<Integer, NumericValue> values = columnValues.get(column);
                    if (values.isEmpty()) {
                        continue;
                    }
                    List<NumericValue> all = new ArrayList<>(values.values());
                    all.add(value);
                    SortKey key = SortKey.of(all);
                    if (key == null) {
                        continue;
                    }
                    List<Double> questionKey = key.apply(value);
                    for (Map.Entry<Integer, NumericValue> cell : values.entrySet()) {
                        int order = SortKey.ORDER.compare(questionKey, key.apply(cell.getValue()));
                        int relation = order == 0 ? EQ : order < 0 ? LT : GT;
                        relations.merge(List.of(column, cell.getKey()), relation, (a, b) -> a | b);
                    }
                }
            }
        }
        relations.forEach((cell, bits) -> {
            for (int index : cellTokens(types, length, cell.get(0), cell.get(1))) {
                types[index * TOKEN_TYPES + 6] = bits;
            }
        });
    }

    /** Token positions of a data cell (0-based column and row). */
    private static List<Integer> cellTokens(long[] types, int length, int column, int row) {
        List<Integer> indexes = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            if (types[i * TOKEN_TYPES + 1] - 1 == column && types[i * TOKEN_TYPES + 2] - 1 == row) {
                indexes.add(i);
            }
        }
        return indexes;
    }

    /**
     * A column's numeric value per row, when at least 70% of its rows hold a value of one type
     * (numbers or dates; dates win a tie), as the tokenizer's _consolidate_numeric_values.
     */
    private static Map<Integer, NumericValue> consolidate(Table table, int column) {
        Map<Integer, List<NumericValue>> byRow = new LinkedHashMap<>();
        for (int row = 0; row < table.rows().size(); row++) {
            List<NumericValue> values = new ArrayList<>();
            for (NumericAnnotator.Span span : NumericAnnotator.parse(normalizeForMatch(table.cell(row, column)))) {
                values.addAll(span.values());
            }
            byRow.put(row, values);
        }
        int numbers = 0;
        int dates = 0;
        for (List<NumericValue> values : byRow.values()) {
            numbers += values.stream().anyMatch(v -> !v.isDate()) ? 1 : 0;
            dates += values.stream().anyMatch(NumericValue::isDate) ? 1 : 0;
        }
        int max = Math.max(numbers, dates);
        if (max == 0 || max < byRow.size() * MIN_CONSOLIDATION_FRACTION) {
            return Map.of();
        }
        boolean date = dates == max;
        Map<Integer, NumericValue> out = new LinkedHashMap<>();
        byRow.forEach((row, values) ->
                values.stream().filter(v -> v.isDate() == date).findFirst().ifPresent(v -> out.put(row, v)));
        return out;
    }

    static String normalizeForMatch(String text) {
        String lower = text.toLowerCase(Locale.ROOT).strip();
        return lower.isEmpty() ? "" : String.join(" ", lower.split("\\s+"));
    }

    /** How values of one type compare: numbers by value, dates by the fields every one of them has. */
    private record SortKey(boolean date, List<Integer> fields) {

        static final java.util.Comparator<List<Double>> ORDER = (a, b) -> {
            for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
                int c = Double.compare(a.get(i), b.get(i));
                if (c != 0) {
                    return c;
                }
            }
            return Integer.compare(a.size(), b.size());
        };

        /** The key for these values, or null when they mix types or share no date field. */
        static SortKey of(Collection<NumericValue> values) {
            boolean anyDate = values.stream().anyMatch(NumericValue::isDate);
            boolean anyNumber = values.stream().anyMatch(v -> !v.isDate());
            if (anyDate && anyNumber) {
                return null;
            }
            if (!anyDate) {
                return new SortKey(false, List.of());
            }
            List<Integer> fields = new ArrayList<>(List.of(0, 1, 2));
            for (NumericValue v : values) {
                fields.removeIf(f -> v.date()[f] == null);
            }
            return fields.isEmpty() ? null : new SortKey(true, fields);
        }

        List<Double> apply(NumericValue value) {
            if (!date) {
                return List.of(value.number());
            }
            List<Double> key = new ArrayList<>();
            fields.forEach(f -> key.add(value.date()[f]));
            return key;
        }
    }
}
