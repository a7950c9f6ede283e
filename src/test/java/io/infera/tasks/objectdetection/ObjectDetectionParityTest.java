package io.infera.tasks.objectdetection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.testing.HttpPredict;
import io.infera.testing.JsonMatch;
import io.infera.testing.ReferenceCase;
import io.infera.testing.TestModels;
import io.infera.testing.TestServer;
import io.quarkus.test.junit.QuarkusTest;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * object-detection equals the transformers pipeline (and the YOLO, box-head and DETR references)
 * through the predict endpoint, on real photographs and odd images (grey, alpha, palette, extreme
 * aspect ratios): labels exactly, scores within 1e-4, boxes within half a pixel (integer boxes:
 * equal).
 */
@QuarkusTest
class ObjectDetectionParityTest {

    @BeforeEach
    void ready() {
        TestServer.awaitReady();
    }

    static Stream<ReferenceCase> cases() {
        return Stream.of(
                        "object-detection.json",
                        "object-detection-yolo.json",
                        "object-detection-boxes.json",
                        "object-detection-letterbox.json",
                        "object-detection-detr.json")
                .flatMap(f -> ReferenceCase.load(f).stream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesThePipeline(ReferenceCase c) {
        JsonNode actual = HttpPredict.fileOrJson(
                c.model(), TestModels.IMAGES.resolve(c.inputs().asText()), c.parameters());
        assertEquals(c.expected().size(), actual.size(), "detections");
        JsonMatch.assertMatches(c.expected(), actual, JsonMatch.SCORE_TOLERANCE);
    }

    static Stream<ReferenceCase> unbatchedCases() {
        return ReferenceCase.load("object-detection-boxes.json").stream()
                .map(c -> new ReferenceCase("tiny-boxes-unbatched", c.inputs(), c.parameters(), c.expected()));
    }

    /** The same weights exported without a batch axis (torchvision's convention) answer the same. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("unbatchedCases")
    void unbatchedExportsAnswerAsTheirBatchedTwin(ReferenceCase c) {
        matchesThePipeline(c);
    }
}
