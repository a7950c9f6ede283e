package io.infera.tasks.sparseembedding;

import io.infera.testing.ReferenceBatch;
import io.infera.testing.TestServer;
import io.quarkus.test.junit.QuarkusTest;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * sparse-embedding equals a numpy reference on the same ONNX logits (fixtures/make_retrieval_models.py):
 * the non-zero max-over-tokens log(1 + relu(logit)) weights, token ids exactly and in order, weights
 * within 1e-4, the top 5 with their token strings; texts of one request share batches.
 */
@QuarkusTest
class SparseEmbeddingParityTest {

    @BeforeEach
    void ready() {
        TestServer.awaitReady();
    }

    static Stream<ReferenceBatch> batches() {
        return ReferenceBatch.of("sparse-embedding.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("batches")
    void matchesTheReference(ReferenceBatch batch) {
        batch.assertAnsweredTogether();
    }
}
