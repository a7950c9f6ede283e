package io.infera.tasks.tablequestionanswering;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.processing.text.FastTokenizer;
import io.infera.processing.text.TokenizerSettings;
import io.infera.testing.TestModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The TAPAS serialisation equals transformers' TapasTokenizer token for token, all seven token
 * types included: numbers, number words, ordinals, dates of every pattern family, empty cells,
 * relations to the question's numbers, and rows dropped to fit (fixtures/make_text_task_models.py).
 */
class TableEncoderTest {

    private static final Path MODEL = TestModels.DIR.resolve("tiny-tapas");
    private static FastTokenizer tokenizer;
    private static TableEncoder encoder;

    @BeforeAll
    static void load() throws Exception {
        TokenizerSettings settings = TokenizerSettings.read(
                MODEL.resolve("tokenizer.json"), MODEL.resolve("tokenizer_config.json"), TestModels.JSON);
        tokenizer = FastTokenizer.load(MODEL.resolve("tokenizer.json"), settings, 128);
        encoder = new TableEncoder(
                tokenizer,
                tokenizer.vocabularyId("[CLS]").orElseThrow(),
                tokenizer.vocabularyId("[SEP]").orElseThrow(),
                "[EMPTY]",
                128);
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    record Case(JsonNode table, String query, long[] ids, long[] types) {
        @Override
        public String toString() {
            return query;
        }
    }

    static Stream<Case> cases() throws Exception {
        List<Case> cases = new ArrayList<>();
        for (JsonNode c : TestModels.JSON.readTree(
                TestModels.REFERENCES.resolve("tapas-encoding.json").toFile())) {
            long[] ids = new long[c.get("input_ids").size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = c.get("input_ids").get(i).asLong();
            }
            long[] types = new long[ids.length * TableEncoder.TOKEN_TYPES];
            for (int i = 0; i < ids.length; i++) {
                for (int t = 0; t < TableEncoder.TOKEN_TYPES; t++) {
                    types[i * TableEncoder.TOKEN_TYPES + t] =
                            c.get("token_type_ids").get(i).get(t).asLong();
                }
            }
            cases.add(new Case(c.get("table"), c.get("query").asText(), ids, types));
        }
        return cases.stream();
    }

    private static Table table(JsonNode node) {
        List<String> columns = new ArrayList<>();
        List<List<String>> byColumn = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            columns.add(e.getKey());
            List<String> cells = new ArrayList<>();
            e.getValue().forEach(v -> cells.add(v.asText()));
            byColumn.add(cells);
        }
        List<List<String>> rows = new ArrayList<>();
        for (int r = 0; r < byColumn.getFirst().size(); r++) {
            List<String> row = new ArrayList<>();
            for (List<String> column : byColumn) {
                row.add(column.get(r));
            }
            rows.add(row);
        }
        return new Table(columns, rows);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void serialisesAsTheTapasTokenizer(Case c) {
        TableEncoder.Encoded encoded = encoder.encode(table(c.table()), c.query(), "inputs");
        assertArrayEquals(c.ids(), encoded.ids(), "input ids");
        String[] names = {"segment", "column", "row", "prev_label", "column_rank", "inv_column_rank", "numeric_relation"
        };
        for (int t = 0; t < TableEncoder.TOKEN_TYPES; t++) {
            for (int i = 0; i < c.ids().length; i++) {
                assertEquals(
                        c.types()[i * TableEncoder.TOKEN_TYPES + t],
                        encoded.tokenTypes()[i * TableEncoder.TOKEN_TYPES + t],
                        names[t] + " of token " + i);
            }
        }
    }

    @Test
    void numbersAndDatesAreReadAsTheTokenizerReadsThem() {
        assertEquals(1234.5, NumericAnnotator.parseNumber("1,234.5"));
        assertEquals(3.0, NumericAnnotator.parseNumber("3rd"));
        assertNull(NumericAnnotator.parseNumber("5d"), "Java's parseDouble would take 5d; Python's float does not");
        assertNull(NumericAnnotator.parseNumber("nan"));
        assertEquals(NumericValue.ofDate(2010, 1, 5), NumericAnnotator.parseDate("january 5, 2010"));
        assertEquals(NumericValue.ofDate(1990, null, null), NumericAnnotator.parseDate("1990s"));
        assertEquals(NumericValue.ofDate(2001, 9, null), NumericAnnotator.parseDate("Sept 2001"));
        assertNull(NumericAnnotator.parseDate("2023"), "years after 2016 are not dates for TAPAS");
        assertNull(NumericAnnotator.parseDate("february 30"));
    }
}
