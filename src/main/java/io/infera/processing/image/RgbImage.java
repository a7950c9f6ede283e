package io.infera.processing.image;

/**
 * An 8-bit RGB picture, pixels interleaved row by row ({@code r, g, b, r, g, b, ...}), the form
 * that Pillow's {@code convert("RGB")} gives the transformers image processors.
 */
public record RgbImage(int width, int height, byte[] pixels) {

    public RgbImage {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image must have a positive size, got " + width + "x" + height);
        }
        if (pixels.length != width * height * 3) {
            throw new IllegalArgumentException("expected " + width * height * 3 + " bytes, got " + pixels.length);
        }
    }

    /** Sample {@code channel} (0 red, 1 green, 2 blue) at column x, row y, as 0..255. */
    public int sample(int x, int y, int channel) {
        return pixels[(y * width + x) * 3 + channel] & 0xFF;
    }
}
