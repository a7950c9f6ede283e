package io.infera.tasks.textclassification;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.infera.registry.ServedModel;
import io.infera.tasks.Pipeline;
import io.infera.tasks.TaskInput;
import io.infera.testing.JsonMatch;
import io.infera.testing.ReferenceCase;
import io.infera.testing.TestModels;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** text-classification equals the transformers pipeline on the same tiny models and texts. */
class TextClassificationParityTest {

    private static final Map<String, ServedModel> MODELS = new ConcurrentHashMap<>();

    static Stream<ReferenceCase> cases() {
        return ReferenceCase.load("text-classification.json").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPipeline(ReferenceCase c) {
        Pipeline pipeline =
                MODELS.computeIfAbsent(c.model(), TestModels::load).pipeline().orElseThrow();
        Object result = pipeline.predict(List.of(new TaskInput.Json(c.inputs(), "inputs")), c.parameters(), null)
                .join()
                .getFirst();
        JsonMatch.assertMatches(asList(c.expected()), result);
    }

    /** The pipeline answers a text pair without top_k with a bare dict; Infera always answers a list. */
    private static JsonNode asList(JsonNode expected) {
        return expected.isObject() ? JsonNodeFactory.instance.arrayNode().add(expected) : expected;
    }

    @AfterAll
    static void close() {
        MODELS.values().forEach(ServedModel::close);
    }
}
