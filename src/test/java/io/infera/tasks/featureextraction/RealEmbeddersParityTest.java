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
 * a text over 512 tokens, an empty one and non-ASCII text included. ONNX Runtime's int8 kernels
 * differ by CPU (exact u8 x s8 products with AVX512-VNNI, others not), so each case has a reference
 * per CPU kind the script ran on, and the answer must match one of them.
 */
class RealEmbeddersParityTest {

    private static final Map<String, ServedModel> MODELS = new ConcurrentHashMap<>();

    /** The same cases, in the same order, referenced on each CPU kind. */
    private static final List<List<ReferenceCase>> REFERENCES = List.of(
            ReferenceCase.load("retrieval-embedders.json"), ReferenceCase.load("retrieval-embedders-avx512vnni.json"));

    static Stream<Integer> cases() {
        return java.util.stream.IntStream.range(0, REFERENCES.getFirst().size()).boxed();
    }

    @ParameterizedTest(name = "case {0}")
    @MethodSource("cases")
    void embedsAsTheReference(int index) {
        ReferenceCase c = REFERENCES.getFirst().get(index);
        ServedModel model = MODELS.computeIfAbsent(c.model(), name -> TestModels.load(TestModels.BUNDLED, name));
        float[] vector = ((Embedding) model.pipeline()
                        .orElseThrow()
                        .predict(List.of(new TaskInput.Json(c.inputs(), "inputs")), c.parameters(), null)
                        .join()
                        .getFirst())
                .pooled();
        assertEquals(c.expected().size(), vector.length);
        double norm = 0;
        for (float v : vector) {
            norm += v * (double) v;
        }
        assertEquals(1.0, norm, 1e-5, "unit length");
        List<Double> cosines = new java.util.ArrayList<>();
        for (List<ReferenceCase> reference : REFERENCES) {
            ReferenceCase same = reference.get(index);
            assertEquals(c.inputs(), same.inputs(), "the references hold the same cases in the same order");
            double dot = 0;
            for (int i = 0; i < vector.length; i++) {
                dot += vector[i] * same.expected().get(i).asDouble();
            }
            cosines.add(dot);
        }
        assertTrue(cosines.stream().anyMatch(cosine -> cosine >= 0.9999), "cosines " + cosines);
    }

    @AfterAll
    static void close() {
        MODELS.values().forEach(ServedModel::close);
    }
}
