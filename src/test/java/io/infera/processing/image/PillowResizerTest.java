package io.infera.processing.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.testing.TestModels;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every filter, down, up and mixed, byte for byte against Pillow's own resize (reference by fixtures/make_test_models.py). */
class PillowResizerTest {

    record Case(String filter, int width, int height, byte[] expected, RgbImage source) {
        @Override
        public String toString() {
            return filter + " " + source.width() + "x" + source.height() + " -> " + width + "x" + height;
        }
    }

    static Stream<Case> cases() throws IOException {
        JsonNode root = TestModels.JSON.readTree(
                TestModels.REFERENCES.resolve("pillow-resize.json").toFile());
        RgbImage source =
                new RgbImage(root.get("width").asInt(), root.get("height").asInt(), bytes(root.get("pixels")));
        List<Case> cases = new ArrayList<>();
        for (JsonNode c : root.get("cases")) {
            cases.add(new Case(
                    c.get("filter").asText(),
                    c.get("width").asInt(),
                    c.get("height").asInt(),
                    bytes(c.get("pixels")),
                    source));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void equalsPillow(Case c) {
        RgbImage out = PillowResizer.resize(c.source(), c.width(), c.height(), Resampling.valueOf(c.filter()));
        assertEquals(c.width(), out.width());
        assertEquals(c.height(), out.height());
        int mismatches = 0;
        for (int i = 0; i < c.expected().length; i++) {
            if (c.expected()[i] != out.pixels()[i]) {
                mismatches++;
            }
        }
        assertEquals(0, mismatches, "samples that differ from Pillow");
    }

    private static byte[] bytes(JsonNode values) {
        byte[] out = new byte[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) values.get(i).asInt();
        }
        return out;
    }
}
