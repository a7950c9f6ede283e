package io.infera.tasks.visualquestionanswering;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infera.testing.HttpPredict;
import io.infera.testing.JsonMatch;
import io.infera.testing.ReferenceCase;
import io.infera.testing.TestModels;
import io.infera.testing.TestServer;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * visual-question-answering equals the transformers pipeline through the predict endpoint: the
 * picture (base64) and the question together; answers and scores as the pipeline ranks them.
 */
@QuarkusTest
class VisualQuestionAnsweringParityTest {

    @BeforeEach
    void ready() {
        TestServer.awaitReady();
    }

    static Stream<ReferenceCase> cases() {
        return ReferenceCase.load("visual-question-answering.json").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersQuestionsAsThePipeline(ReferenceCase c) throws IOException {
        String image = Base64.getEncoder()
                .encodeToString(Files.readAllBytes(
                        TestModels.IMAGES.resolve(c.inputs().get("image").asText())));
        ObjectNode inputs = TestModels.JSON
                .createObjectNode()
                .put("image", image)
                .put("question", c.inputs().get("question").asText());
        JsonMatch.assertMatches(
                c.expected(), HttpPredict.json(c.model(), inputs, c.parameters()), JsonMatch.SCORE_TOLERANCE);
    }
}
