package io.infera.processing.ocr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.testing.TestModels;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * The pixels a box score averages are those OpenCV's fillPoly marks in PaddleOCR's
 * box_score_fast, pixel for pixel, on 80 boxes around bars at every angle
 * (fixtures/make_ocr_reference.py).
 */
class BoxScoreTest {

    @Test
    void marksThePixelsFillPolyMarks() throws Exception {
        JsonNode reference =
                TestModels.JSON.readTree(Files.readString(TestModels.REFERENCES.resolve("ocr-box-masks.json")));
        int width = reference.get("width").asInt();
        int height = reference.get("height").asInt();
        int index = 0;
        for (JsonNode box : reference.get("boxes")) {
            double[] xs = new double[4];
            double[] ys = new double[4];
            for (int i = 0; i < 4; i++) {
                xs[i] = box.get("x").get(i).asDouble();
                ys[i] = box.get("y").get(i).asDouble();
            }
            BoxScore.Mask mask = BoxScore.mask(xs, ys, width, height);
            assertEquals(box.get("left").asInt(), mask.left(), "box " + index);
            assertEquals(box.get("top").asInt(), mask.top(), "box " + index);
            StringBuilder rows = new StringBuilder();
            for (int y = 0; y < mask.height(); y++) {
                for (int x = 0; x < mask.width(); x++) {
                    rows.append(mask.marked()[y * mask.width() + x] ? '1' : '0');
                }
                rows.append('\n');
            }
            StringBuilder expected = new StringBuilder();
            box.get("rows").forEach(row -> expected.append(row.asText()).append('\n'));
            assertEquals(
                    expected.toString(), rows.toString(), "box " + index + " at " + box.get("x") + ", " + box.get("y"));
            index++;
        }
    }

    @Test
    void theScoreIsTheMeanUnderTheMask() {
        float[] map = new float[10 * 10];
        for (int y = 3; y <= 5; y++) {
            for (int x = 2; x <= 7; x++) {
                map[y * 10 + x] = 1f;
            }
        }
        // corners 2.5..7.5 x 3.5..5.5 cut to 2..7 x 3..5: exactly the filled block
        assertEquals(
                1.0,
                BoxScore.mean(map, 10, 10, new double[] {2.5, 7.5, 7.5, 2.5}, new double[] {3.5, 3.5, 5.5, 5.5}),
                1e-9);
        // a row more on every side: 18 of 40 pixels
        assertEquals(18.0 / 40, BoxScore.mean(map, 10, 10, new double[] {1, 8, 8, 1}, new double[] {2, 2, 6, 6}), 1e-9);
    }
}
