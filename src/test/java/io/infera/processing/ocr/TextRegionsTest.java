package io.infera.processing.ocr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** PaddleOCR's DB post-processing on probability maps drawn by hand. */
class TextRegionsTest {

    private static final TextRegions PADDLE = new TextRegions(0.3, 0.6, 1.5, 1000);

    private static void fill(float[] map, int width, int x0, int y0, int x1, int y1, float probability) {
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                map[y * width + x] = probability;
            }
        }
    }

    @Test
    void linesAreFoundGrownAndMappedToThePicture() {
        int w = 64;
        int h = 32;
        float[] map = new float[w * h];
        fill(map, w, 4, 4, 44, 10, 0.9f); // a line 40 x 6
        fill(map, w, 4, 18, 24, 24, 0.9f); // a shorter line below it
        List<Quad> lines = PADDLE.find(map, w, h, 2 * w, 2 * h);
        assertEquals(2, lines.size());
        Quad first = lines.getFirst();
        // pixel centres 4..43 x 4..9: 39 x 5, grown by 39 * 5 * 1.5 / 88 = 3.32 on every side, then doubled
        assertArrayEquals(new double[] {1, 93, 93, 1}, first.x(), 1e-9);
        assertArrayEquals(new double[] {1, 1, 25, 25}, first.y(), 1e-9);
        assertEquals(0.9, first.score(), 1e-6);
        assertEquals(30, lines.get(1).y()[0], 1e-9, "the lower line second");
    }

    @Test
    void faintTinyAndThinRegionsAreLeftOut() {
        int w = 64;
        int h = 32;
        float[] map = new float[w * h];
        fill(map, w, 4, 4, 44, 10, 0.5f); // above the threshold, below the box threshold
        fill(map, w, 50, 4, 52, 6, 0.9f); // 2 x 2: a short side under 3
        fill(map, w, 4, 20, 60, 21, 0.9f); // a line one pixel thick
        assertEquals(List.of(), PADDLE.find(map, w, h, w, h));
        assertEquals(
                1,
                new TextRegions(0.3, 0.4, 1.5, 1000).find(map, w, h, w, h).size(),
                "a lower box threshold keeps the faint line");
    }

    @Test
    void theLargestRegionsAreReadFirstWhenThereAreTooMany() {
        int w = 64;
        int h = 32;
        float[] map = new float[w * h];
        fill(map, w, 4, 4, 14, 10, 0.9f);
        fill(map, w, 4, 18, 44, 24, 0.9f);
        List<Quad> one = new TextRegions(0.3, 0.6, 1.5, 1).find(map, w, h, w, h);
        assertEquals(1, one.size());
        assertEquals(44 + 2, one.getFirst().x()[1], 1.0, "the longer line");
    }

    @Test
    void readingOrderPutsALineToTheLeftFirstWhenTheirTopsAreClose() {
        Quad right = new Quad(new double[] {100, 150, 150, 100}, new double[] {10, 10, 30, 30}, 1);
        Quad left = new Quad(new double[] {10, 60, 60, 10}, new double[] {14, 14, 34, 34}, 1);
        Quad below = new Quad(new double[] {10, 60, 60, 10}, new double[] {50, 50, 70, 70}, 1);
        assertEquals(List.of(left, right, below), TextRegions.readingOrder(List.of(below, right, left)));
    }
}
