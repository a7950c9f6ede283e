package io.infera.tasks.questionanswering;

import io.infera.testing.ReferenceBatch;
import io.infera.testing.TestServer;
import io.quarkus.test.junit.QuarkusTest;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * question-answering (long contexts in strided windows) equals the transformers pipeline through the
 * predict endpoint: the reference inputs of one model and parameter set go in one request, so
 * their rows share batches.
 */
@QuarkusTest
class QuestionAnsweringParityTest {

    @BeforeEach
    void ready() {
        TestServer.awaitReady();
    }

    static Stream<ReferenceBatch> batches() {
        return ReferenceBatch.of("question-answering.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("batches")
    void matchesThePipeline(ReferenceBatch batch) {
        batch.assertAnsweredTogether();
    }
}
