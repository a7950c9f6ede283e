package io.infera.processing.ocr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.infera.processing.image.RgbImage;
import org.junit.jupiter.api.Test;

/** Cutting text lines out as PaddleOCR's get_rotate_crop_image does. */
class LineCropTest {

    private static RgbImage gradient(int width, int height) {
        byte[] pixels = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = (y * width + x) * 3;
                pixels[i] = (byte) (x * 7);
                pixels[i + 1] = (byte) (y * 11);
                pixels[i + 2] = (byte) ((x * y) % 256);
            }
        }
        return new RgbImage(width, height, pixels);
    }

    @Test
    void anUprightBoxIsCutOutPixelForPixel() {
        RgbImage picture = gradient(30, 20);
        RgbImage line = LineCrop.of(picture, new Quad(new double[] {5, 25, 25, 5}, new double[] {3, 3, 11, 11}, 1));
        assertEquals(20, line.width());
        assertEquals(8, line.height());
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 20; x++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(picture.sample(x + 5, y + 3, c), line.sample(x, y, c), "pixel " + x + "," + y);
                }
            }
        }
    }

    @Test
    void aTallBoxIsTurnedAQuarterAnticlockwise() {
        RgbImage picture = gradient(30, 40);
        RgbImage column = LineCrop.of(picture, new Quad(new double[] {2, 8, 8, 2}, new double[] {1, 1, 31, 31}, 1));
        assertEquals(30, column.width());
        assertEquals(6, column.height());
        // np.rot90: the column's top right pixel becomes the turned picture's top left
        assertEquals(picture.sample(2 + 5, 1, 0), column.sample(0, 0, 0));
        assertEquals(picture.sample(2, 1 + 29, 1), column.sample(29, 5, 1));
    }

    @Test
    void theHomographyTakesTheCornersToTheQuadrilateral() {
        double[] toX = {10, 90, 95, 5};
        double[] toY = {20, 25, 60, 50};
        double[] h = LineCrop.homography(new double[] {0, 80, 80, 0}, new double[] {0, 0, 30, 30}, toX, toY);
        double[][] from = {{0, 0}, {80, 0}, {80, 30}, {0, 30}};
        for (int i = 0; i < 4; i++) {
            double w = h[6] * from[i][0] + h[7] * from[i][1] + 1;
            assertArrayEquals(
                    new double[] {toX[i], toY[i]},
                    new double[] {
                        (h[0] * from[i][0] + h[1] * from[i][1] + h[2]) / w,
                        (h[3] * from[i][0] + h[4] * from[i][1] + h[5]) / w
                    },
                    1e-9);
        }
    }
}
