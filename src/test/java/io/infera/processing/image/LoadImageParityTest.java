package io.infera.processing.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.errors.UnsupportedMediaTypeException;
import io.infera.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Decoding equals what the pipelines' load_image gives (Pillow: exif_transpose, convert("RGB"))
 * on pictures made by fixtures/make_vision_models.py: all eight EXIF orientations, 16-bit grey and
 * colour PNG, lossless WebP. PNG and WebP pixels are equal; JPEG pixels within 3 levels (two IDCT
 * implementations), which no wrong orientation could meet.
 */
class LoadImageParityTest {

    private static final Path FOLDER = TestModels.IMAGES.resolve("decoding");
    private static final ImageDecoder DECODER = new ImageDecoder(40_000_000L);

    record Case(String image, JsonNode json) {
        @Override
        public String toString() {
            return image;
        }
    }

    static Stream<Case> cases() throws Exception {
        List<Case> cases = new ArrayList<>();
        for (JsonNode c : TestModels.JSON.readTree(
                TestModels.REFERENCES.resolve("decoding.json").toFile())) {
            cases.add(new Case(c.get("image").asText(), c));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decodesAsLoadImage(Case c) throws Exception {
        RgbImage image = DECODER.decode(Files.readAllBytes(FOLDER.resolve(c.image())), "inputs");
        assertEquals(c.json().get("width").asInt(), image.width(), "width");
        assertEquals(c.json().get("height").asInt(), image.height(), "height");
        int tolerance = c.json().get("exact").asBoolean() ? 0 : 3;
        JsonNode expected = c.json().get("pixels");
        int worst = 0;
        for (int i = 0; i < expected.size(); i++) {
            worst = Math.max(worst, Math.abs(expected.get(i).asInt() - (image.pixels()[i] & 0xFF)));
        }
        assertTrue(worst <= tolerance, c.image() + ": largest difference " + worst + " > " + tolerance);
    }

    @Test
    void cmykJpegsAreRefusedClearly() throws Exception {
        UnsupportedMediaTypeException e = assertThrows(
                UnsupportedMediaTypeException.class,
                () -> DECODER.decode(Files.readAllBytes(FOLDER.resolve("cmyk.jpg")), "inputs"));
        assertTrue(e.getMessage().contains("CMYK"), e.getMessage());
    }
}
