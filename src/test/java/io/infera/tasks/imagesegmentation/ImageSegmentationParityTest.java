package io.infera.tasks.imagesegmentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.testing.HttpPredict;
import io.infera.testing.ReferenceCase;
import io.infera.testing.TestModels;
import io.infera.testing.TestServer;
import io.quarkus.test.junit.QuarkusTest;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Semantic image-segmentation equals the transformers pipeline through the predict endpoint:
 * labels in order, score null, and every mask pixel equal to the pipeline's.
 */
@QuarkusTest
class ImageSegmentationParityTest {

    @BeforeEach
    void ready() {
        TestServer.awaitReady();
    }

    static Stream<ReferenceCase> cases() {
        return ReferenceCase.load("image-segmentation.json").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void segmentsAsThePipeline(ReferenceCase c) throws IOException {
        JsonNode actual =
                HttpPredict.file(c.model(), TestModels.IMAGES.resolve(c.inputs().asText()));
        assertEquals(c.expected().size(), actual.size(), "segments");
        for (int i = 0; i < actual.size(); i++) {
            JsonNode e = c.expected().get(i);
            JsonNode a = actual.get(i);
            assertEquals(e.get("label").asText(), a.get("label").asText());
            assertTrue(a.get("score").isNull(), "semantic segments have no score");
            int[] expected = grey(e.get("mask").asText());
            int[] got = grey(a.get("mask").asText());
            assertEquals(expected.length, got.length, "mask size");
            int differing = 0;
            for (int p = 0; p < expected.length; p++) {
                differing += expected[p] == got[p] ? 0 : 1;
            }
            assertEquals(0, differing, e.get("label").asText() + ": mask pixels that differ");
        }
    }

    private static int[] grey(String base64Png) throws IOException {
        BufferedImage picture =
                ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(base64Png)));
        return picture.getRaster().getPixels(0, 0, picture.getWidth(), picture.getHeight(), (int[]) null);
    }
}
