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
 * feature-extraction: {@code pooling: none} equals the transformers pipeline's token vectors; the
 * pooled variants equal mean / CLS pooling (and L2 normalisation) of those vectors.
 */
class FeatureExtractionParityTest {

    private static ServedModel model;

    @BeforeAll
    static void load() {
        model = TestModels.load("tiny-bert-encoder");
    }

    static Stream<ReferenceCase> cases() {
        return ReferenceCase.load("feature-extraction.json").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPipeline(ReferenceCase c) {
        Object result = model.pipeline()
                .orElseThrow()
                .predict(List.of(new TaskInput.Json(c.inputs(), "inputs")), c.parameters(), null)
                .join()
                .getFirst();
        JsonMatch.assertMatches(c.expected(), result);
    }

    /**
     * A sentence-transformers folder (the hub's layout) whose sentence_bert_config.json cuts texts at
     * 8 tokens and lower-cases them: sentence-transformers' encode, within 1e-4
     * (fixtures/make_sentence_transformers_models.py).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("sentenceTransformersCases")
    void readsTheSentenceTransformersSettings(ReferenceCase c) {
        ServedModel st = TestModels.load("tiny-st-short");
        try {
            Object result = st.pipeline()
                    .orElseThrow()
                    .predict(List.of(new TaskInput.Json(c.inputs(), "inputs")), c.parameters(), null)
                    .join()
                    .getFirst();
            JsonMatch.assertMatches(c.expected(), result);
        } finally {
            st.close();
        }
    }

    static Stream<ReferenceCase> sentenceTransformersCases() {
        return ReferenceCase.load("sentence-transformers-short.json").stream();
    }

    @AfterAll
    static void close() {
        model.close();
    }
}
