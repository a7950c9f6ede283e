package io.infera.processing.image;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.infera.errors.InvalidInputException;
import io.infera.errors.PayloadTooLargeException;
import io.infera.errors.UnsupportedMediaTypeException;
import io.infera.testing.Leaks;
import org.junit.jupiter.api.Timeout;

/**
 * The image path, fuzzed from its first byte: format sniffing, the header's size read before
 * decoding (the pixel limit), JPEG metadata (components, EXIF orientation), decoding. Any bytes
 * end as an image within the pixel limit or as a 400/413/415 that shows no internals; the
 * committed corpus (ImageDecoderFuzzTestInputs/) is replayed on every build.
 */
class ImageDecoderFuzzTest {

    private static final long MAX_PIXELS = 1 << 16;

    @FuzzTest(maxDuration = "2m")
    @Timeout(10)
    void anyBytes(byte[] bytes) {
        try {
            RgbImage image = new ImageDecoder(MAX_PIXELS).decode(bytes, "inputs");
            assertTrue((long) image.width() * image.height() <= MAX_PIXELS, image.width() + "x" + image.height());
        } catch (InvalidInputException | PayloadTooLargeException | UnsupportedMediaTypeException refused) {
            assertFalse(Leaks.in(refused.getMessage(), bytes), refused.getMessage());
        }
    }
}
