package io.infera.processing.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.infera.runtime.Tensor;
import io.infera.testing.TestModels;
import org.junit.jupiter.api.Test;

class ImagePreprocessorTest {

    @Test
    void centreCropPadsWithBlackWhereTheImageIsSmaller() {
        byte[] pixels = new byte[2 * 2 * 3];
        java.util.Arrays.fill(pixels, (byte) 200);
        RgbImage cropped = ImagePreprocessor.centreCrop(new RgbImage(2, 2, pixels), 3, 5);
        assertEquals(5, cropped.width());
        // transformers pads ceil(diff / 2) before: one row above, columns 0 and 1 to the left.
        assertEquals(0, cropped.sample(0, 0, 0));
        assertEquals(0, cropped.sample(1, 1, 0));
        assertEquals(200, cropped.sample(2, 1, 0));
        assertEquals(200, cropped.sample(3, 2, 2));
        assertEquals(0, cropped.sample(4, 2, 0));
    }

    @Test
    void rescalesAndNormalisesChannelsFirst() throws Exception {
        ImageProcessorConfig config = ImageProcessorConfig.fromJson(TestModels.JSON.readTree("""
                {"do_resize": false, "do_rescale": true, "rescale_factor": 0.00392156862745098,
                 "do_normalize": true, "image_mean": [0.5, 0.4, 0.3], "image_std": [0.5, 0.25, 0.1]}"""));
        RgbImage image = new RgbImage(2, 1, new byte[] {(byte) 255, 0, 51, 0, (byte) 102, (byte) 255});
        Tensor t = new ImagePreprocessor(config).pixelValues(image);
        assertArrayEquals(new long[] {3, 1, 2}, t.shape());
        float[] v = t.floats();
        assertEquals(1.0f, v[0], 1e-6); // red of pixel 0
        assertEquals(-1.0f, v[1], 1e-6); // red of pixel 1
        assertEquals(-1.6f, v[2], 1e-6); // green of pixel 0
        assertEquals((0.4f - 0.4f) / 0.25f, v[3], 1e-6);
        assertEquals((0.2f - 0.3f) / 0.1f, v[4], 1e-5);
        assertEquals(7.0f, v[5], 1e-5);
    }

    @Test
    void shortestEdgeKeepsTheAspectRatioAndTruncates() throws Exception {
        ImageProcessorConfig config = ImageProcessorConfig.fromJson(
                TestModels.JSON.readTree("{\"size\": {\"shortest_edge\": 10}, \"do_normalize\": false}"));
        RgbImage resized = new ImagePreprocessor(config).resize(new RgbImage(33, 20, new byte[33 * 20 * 3]));
        assertEquals(10, resized.height());
        assertEquals(16, resized.width()); // int(10 * 33 / 20) = 16
    }
}
