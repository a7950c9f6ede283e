package io.infera.processing.ocr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The minimum-area rectangle around pixel centres, as OpenCV's minAreaRect finds it. */
class MinAreaRectTest {

    private static final int WIDTH = 200;

    private static int[] pixels(List<int[]> xy) {
        return xy.stream().mapToInt(p -> p[1] * WIDTH + p[0]).toArray();
    }

    @Test
    void anUprightBlockSpansItsPixelCentres() {
        List<int[]> block = new ArrayList<>();
        for (int y = 20; y < 24; y++) {
            for (int x = 10; x < 40; x++) {
                block.add(new int[] {x, y});
            }
        }
        Rect rect = MinAreaRect.of(pixels(block), WIDTH);
        assertEquals(29 * 3, rect.area(), 1e-9);
        assertEquals(3, rect.shortSide(), 1e-9);
        assertEquals(24.5, rect.cx(), 1e-9);
        assertEquals(21.5, rect.cy(), 1e-9);
    }

    @Test
    void aTiltedBarIsFoundAtItsAngle() {
        // a bar 80 long and 6 across, 20 degrees from the x axis, rasterised by pixel centres
        double angle = Math.toRadians(20);
        List<int[]> bar = new ArrayList<>();
        for (int y = 0; y < 120; y++) {
            for (int x = 0; x < WIDTH; x++) {
                double u = (x - 100) * Math.cos(angle) + (y - 60) * Math.sin(angle);
                double v = -(x - 100) * Math.sin(angle) + (y - 60) * Math.cos(angle);
                if (Math.abs(u) <= 40 && Math.abs(v) <= 3) {
                    bar.add(new int[] {x, y});
                }
            }
        }
        Rect rect = MinAreaRect.of(pixels(bar), WIDTH);
        double longSide = Math.max(rect.width(), rect.height());
        assertEquals(80, longSide, 1.5);
        assertEquals(6, rect.shortSide(), 1.0);
        double direction = rect.width() >= rect.height() ? rect.angle() : rect.angle() + Math.PI / 2;
        assertEquals(0, Math.sin(direction - angle), 0.02, "the long side runs at 20 degrees");
        assertEquals(100, rect.cx(), 0.5);
        assertEquals(60, rect.cy(), 0.5);
    }

    @Test
    void aSinglePixelAndALineHaveNoArea() {
        assertEquals(0, MinAreaRect.of(pixels(List.of(new int[] {5, 5})), WIDTH).area());
        Rect line = MinAreaRect.of(pixels(List.of(new int[] {5, 5}, new int[] {6, 5}, new int[] {7, 5})), WIDTH);
        assertEquals(0, line.shortSide(), 1e-9);
        assertEquals(2, Math.max(line.width(), line.height()), 1e-9);
    }
}
