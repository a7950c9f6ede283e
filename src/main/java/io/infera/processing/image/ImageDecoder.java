package io.infera.processing.image;

import io.infera.errors.InvalidInputException;
import io.infera.errors.PayloadTooLargeException;
import io.infera.errors.UnsupportedMediaTypeException;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes JPEG, PNG, BMP, GIF (first frame) and WebP bytes into 8-bit RGB as the transformers
 * pipelines' {@code load_image} does: EXIF orientation applied ({@code exif_transpose}), then
 * Pillow's {@code convert("RGB")}: grey is replicated, palettes are looked up, alpha is dropped
 * (not composited), 16-bit colour keeps its high byte and 16-bit grey is clipped at 255. CMYK
 * JPEGs are refused. The pixel count is read from the header and checked before any decoding.
 */
public final class ImageDecoder {

    private final long maxPixels;

    /** @param maxPixels the largest width x height accepted; larger images are refused before decoding */
    public ImageDecoder(long maxPixels) {
        this.maxPixels = maxPixels;
    }

    /** @param field the request field the bytes came from, named in errors */
    public RgbImage decode(byte[] bytes, String field) {
        ImageFormat format = ImageFormat.sniff(bytes)
                .orElseThrow(() -> new UnsupportedMediaTypeException(
                        field + ": not an image in a supported format (" + ImageFormat.supportedNames() + ")"));
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.readerName);
        if (!readers.hasNext()) {
            throw new IllegalStateException("no ImageIO reader for " + format + " on the class path");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            boolean jpeg = format == ImageFormat.JPEG;
            if (jpeg && JpegMetadata.components(bytes) == 4) {
                throw new UnsupportedMediaTypeException(
                        field + ": CMYK (or YCCK) JPEG images are not supported; send RGB or grey");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > maxPixels) {
                    throw new PayloadTooLargeException(
                            field,
                            "image is " + reader.getWidth(0) + "x" + reader.getHeight(0) + " = " + pixels
                                    + " pixels, more than the limit of " + maxPixels);
                }
                RgbImage image = toRgb(reader.read(0));
                return jpeg ? image.oriented(JpegMetadata.orientation(bytes)) : image;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof PayloadTooLargeException || e instanceof UnsupportedMediaTypeException) {
                throw (RuntimeException) e;
            }
            // a decoder's own exceptions (IIOException) describe the data; anything else is a decoder
            // bug tripped by corrupt data, and its message would name JDK internals
            throw new InvalidInputException(
                    field,
                    "image could not be decoded: "
                            + (e instanceof IOException ? e.getMessage() : "corrupt or truncated data"));
        }
    }

    /** Reads raster samples directly: getRGB() would colour-convert grey images and change their values. */
    static RgbImage toRgb(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        byte[] out = new byte[width * height * 3];
        Raster raster = image.getRaster();
        if (image.getColorModel() instanceof IndexColorModel palette) {
            int[] index = raster.getSamples(0, 0, width, height, 0, (int[]) null);
            for (int i = 0; i < index.length; i++) {
                out[i * 3] = (byte) palette.getRed(index[i]);
                out[i * 3 + 1] = (byte) palette.getGreen(index[i]);
                out[i * 3 + 2] = (byte) palette.getBlue(index[i]);
            }
            return new RgbImage(width, height, out);
        }
        int colourBands = image.getColorModel().getNumColorComponents();
        if (colourBands != 1 && colourBands != 3) {
            throw new UnsupportedMediaTypeException(
                    "images with " + colourBands + " colour channels (CMYK?) are not supported");
        }
        for (int c = 0; c < 3; c++) {
            int band = colourBands == 1 ? 0 : c;
            int bits = raster.getSampleModel().getSampleSize(band);
            int[] samples = raster.getSamples(0, 0, width, height, band, (int[]) null);
            boolean grey16 = colourBands == 1 && bits == 16;
            for (int i = 0; i < samples.length; i++) {
                // 16-bit colour keeps its high byte, as Pillow reads it into RGB; 16-bit grey is
                // Pillow's I;16, whose convert("RGB") clips at 255; 1, 2 and 4-bit grey is stretched to 0..255.
                int v = grey16
                        ? Math.min(samples[i], 255)
                        : bits >= 8 ? samples[i] >>> (bits - 8) : samples[i] * 255 / ((1 << bits) - 1);
                out[i * 3 + c] = (byte) v;
            }
        }
        return new RgbImage(width, height, out);
    }
}
