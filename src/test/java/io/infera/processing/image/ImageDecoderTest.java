package io.infera.processing.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infera.errors.InvalidInputException;
import io.infera.errors.PayloadTooLargeException;
import io.infera.errors.UnsupportedMediaTypeException;
import io.infera.testing.TestImages;
import io.infera.testing.TestModels;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageDecoderTest {

    private final ImageDecoder decoder = new ImageDecoder(1_000_000);

    @Test
    void decodesEveryImageIoFormatToRgb() throws IOException {
        BufferedImage image = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 0xFF0000);
        image.setRGB(2, 1, 0x00FF80);
        for (String format : new String[] {"png", "bmp", "gif"}) {
            // GIF holds palettes only, and ImageIO's GIF writer mangles tiny ones: Pillow wrote this one.
            byte[] bytes = format.equals("gif")
                    ? Files.readAllBytes(TestModels.IMAGES.resolve("tiny-palette.gif"))
                    : encode(image, format);
            RgbImage rgb = decoder.decode(bytes, "inputs");
            assertEquals(3, rgb.width(), format);
            assertEquals(2, rgb.height(), format);
            assertArrayEquals(new int[] {255, 0, 0}, pixel(rgb, 0, 0), format);
            assertArrayEquals(new int[] {0, 255, 128}, pixel(rgb, 2, 1), format);
        }
    }

    @Test
    void greyIsReplicatedWithoutColourConversion() throws IOException {
        BufferedImage grey = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(0, 0, 0, 100);
        grey.getRaster().setSample(1, 0, 0, 7);
        RgbImage rgb = decoder.decode(encode(grey, "png"), "inputs");
        assertArrayEquals(new int[] {100, 100, 100}, pixel(rgb, 0, 0));
        assertArrayEquals(new int[] {7, 7, 7}, pixel(rgb, 1, 0));
    }

    @Test
    void alphaIsDroppedNotComposited() throws IOException {
        BufferedImage argb = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x10FF2040);
        assertArrayEquals(new int[] {255, 32, 64}, pixel(decoder.decode(encode(argb, "png"), "inputs"), 0, 0));
    }

    @Test
    void imagesOverThePixelLimitAreRefusedFromTheHeader() {
        // 100000 x 100000 declared in 70 bytes: decoding it would need 30 GB.
        byte[] bomb = TestImages.pngHeaderOnly(100_000, 100_000);
        PayloadTooLargeException e =
                assertThrows(PayloadTooLargeException.class, () -> decoder.decode(bomb, "inputs[3]"));
        assertEquals("inputs[3]", e.field());
        assertTrue(e.getMessage().contains("10000000000 pixels"), e.getMessage());
    }

    @Test
    void theLimitIsInclusive() throws IOException {
        byte[] png = encode(new BufferedImage(1000, 1000, BufferedImage.TYPE_INT_RGB), "png");
        assertEquals(1000, new ImageDecoder(1_000_000).decode(png, "inputs").width());
        assertThrows(PayloadTooLargeException.class, () -> new ImageDecoder(999_999).decode(png, "inputs"));
    }

    @Test
    void unknownAndCorruptBytesAreClientErrors() throws IOException {
        assertThrows(UnsupportedMediaTypeException.class, () -> decoder.decode("hello".getBytes(), "body"));
        byte[] png = encode(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png");
        byte[] truncated = java.util.Arrays.copyOf(png, png.length / 2);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> decoder.decode(truncated, "body"));
        assertEquals("body", e.field());
    }

    @Test
    void formatsOutsideTheDocumentedSetAreRefusedEvenWhenImageIoCouldReadThem() throws IOException {
        // WBMP has no signature: these five bytes (type 0, header 0, 8x1 pixels, one data byte) are
        // a valid WBMP to ImageIO. A hostile-input run found them answered 200 as an image.
        byte[] wbmp = {0, 0, 8, 1, (byte) 0xA5};
        assertTrue(ImageIO.read(new java.io.ByteArrayInputStream(wbmp)) != null, "ImageIO reads it as WBMP");
        assertThrows(UnsupportedMediaTypeException.class, () -> decoder.decode(wbmp, "body"));
        byte[] tiff = encode(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), "tiff");
        UnsupportedMediaTypeException e =
                assertThrows(UnsupportedMediaTypeException.class, () -> decoder.decode(tiff, "body"));
        assertTrue(e.getMessage().contains("JPEG, PNG, BMP, GIF, WebP"), e.getMessage());
    }

    @Test
    void aSignatureAloneIsNotAnImage() {
        for (byte[] header : new byte[][] {
            {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF},
            {'G', 'I', 'F', '8', '9', 'a'},
            {'B', 'M'},
            {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P'}
        }) {
            assertThrows(
                    InvalidInputException.class,
                    () -> decoder.decode(header, "body"),
                    new String(header, java.nio.charset.StandardCharsets.ISO_8859_1));
        }
    }

    private static int[] pixel(RgbImage image, int x, int y) {
        return new int[] {image.sample(x, y, 0), image.sample(x, y, 1), image.sample(x, y, 2)};
    }

    static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, format, out), format);
        return out.toByteArray();
    }
}
