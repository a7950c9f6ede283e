package io.infera.tasks.featureextraction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infera.registry.ServedModel;
import io.infera.tasks.TaskInput;
import io.infera.testing.ReferenceCase;
import io.infera.testing.TestModels;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bundled int8 retrieval embedders (bge-small-en-v1.5: CLS pooling; e5-small-v2: mean pooling;
 * both normalised, 512 tokens at most, with their prompts) embed as an ONNX Runtime + tokenizers
 * reference with that pooling does (fixtures/make_real_embedder_references.py): cosine >= 0.9999,
 * a text over 512 tokens, an empty one and non-ASCII text included.
 */
class RealEmbeddersParityTest {

    private static final Map<String, ServedModel> MODELS = new ConcurrentHashMap<>();

    static Stream<ReferenceCase> cases() {
        return ReferenceCase.load("retrieval-embedders.json").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void embedsAsTheReference(ReferenceCase c) {
        ServedModel model = MODELS.computeIfAbsent(c.model(), name -> TestModels.load(TestModels.BUNDLED, name));
        float[] vector = ((Embedding) model.pipeline()
                        .orElseThrow()
                        .predict(List.of(new TaskInput.Json(c.inputs(), "inputs")), c.parameters(), null)
                        .join()
                        .getFirst())
                .pooled();
        assertEquals(c.expected().size(), vector.length);
        double dot = 0;
        double norm = 0;
        for (int i = 0; i < vector.length; i++) {
            dot += vector[i] * c.expected().get(i).asDouble();
            norm += vector[i] * (double) vector[i];
        }
        assertEquals(1.0, norm, 1e-5, "unit length");
        assertTrue(dot >= 0.9999, "cosine " + dot);
    }

    @AfterAll
    static void close() {
        MODELS.values().forEach(ServedModel::close);
    }
}
