package io.infera.tasks.rerank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infera.errors.InvalidInputException;
import io.infera.errors.PayloadTooLargeException;
import io.infera.registry.ServedModel;
import io.infera.tasks.TaskInput;
import io.infera.tasks.TaskType;
import io.infera.testing.JsonMatch;
import io.infera.testing.ReferenceCase;
import io.infera.testing.TestModels;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * rerank equals sentence-transformers' CrossEncoder.rank on a seeded cross-encoder
 * (fixtures/make_retrieval_models.py): order and indexes exactly, scores within 1e-4, with the
 * default sigmoid and raw scores, whole and cut to top_n, a long pair truncated longest-first.
 */
class RerankParityTest {

    private static ServedModel model;

    @BeforeAll
    static void load() {
        model = TestModels.load("tiny-cross-encoder");
    }

    static Stream<ReferenceCase> cases() {
        return ReferenceCase.load("rerank.json").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void ranksAsCrossEncoderRank(ReferenceCase c) {
        Object ranking = model.pipeline()
                .orElseThrow()
                .predict(List.of(new TaskInput.Json(c.inputs(), "inputs")), c.parameters(), null)
                .join()
                .getFirst();
        JsonMatch.assertMatches(c.expected(), ranking);
    }

    @Test
    void aMarkedOneLogitClassifierIsInferredAsRerank() {
        assertEquals(TaskType.RERANK, model.pipeline().orElseThrow().taskType());
    }

    @Test
    void badItemsAreRefusedNamingTheField() {
        for (String[] bad : new String[][] {
            {"\"just text\"", "inputs"},
            {"{\"texts\": [\"a\"]}", "inputs.query"},
            {"{\"query\": \"q\", \"texts\": []}", "inputs.texts"},
            {"{\"query\": \"q\", \"documents\": [\"a\", 5]}", "inputs.documents[1]"},
            {"{\"query\": \"q\", \"texts\": [\"a\"], \"documents\": [\"b\"]}", "inputs"},
            {"{\"query\": \"q\", \"texts\": [\"a\"], \"extra\": 1}", "inputs.extra"}
        }) {
            InvalidInputException refused = assertThrows(
                    InvalidInputException.class,
                    () -> model.pipeline()
                            .orElseThrow()
                            .predict(
                                    List.of(new TaskInput.Json(TestModels.JSON.readTree(bad[0]), "inputs")),
                                    null,
                                    null));
            assertEquals(bad[1], refused.field(), bad[0]);
        }
    }

    @Test
    void aQueryWithMoreTextsThanTheItemLimitIsRefused() {
        ObjectNode item = TestModels.JSON.createObjectNode().put("query", "q");
        ArrayNode texts = item.putArray("texts");
        for (int i = 0; i <= TestModels.DEFAULTS.maxItems(); i++) {
            texts.add("text " + i);
        }
        PayloadTooLargeException refused = assertThrows(
                PayloadTooLargeException.class,
                () -> model.pipeline().orElseThrow().predict(List.of(new TaskInput.Json(item, "inputs")), null, null));
        assertEquals("inputs.texts", refused.field());
    }

    @AfterAll
    static void close() {
        model.close();
    }
}
