package io.infera.tasks.ocr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.registry.ModelLoader;
import io.infera.registry.ServedModel;
import io.infera.tasks.TaskInput;
import io.infera.testing.ReferenceCase;
import io.infera.testing.TestModels;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bundled {@code ocr} model (PaddleOCR PP-OCRv4's detector and recogniser) reads pages as
 * PaddleOCR's steps written with OpenCV do (fixtures/make_ocr_reference.py): the same lines in the
 * same order, the same text, corners within a pixel (OpenCV traces contours and fills polygons on
 * whole pixels), scores within 2e-3 (OpenCV's bicubic warp samples at 1/32 of a pixel).
 */
class OcrTest {

    private static final double SCORE_TOLERANCE = 2e-3;

    private static ServedModel ocr;

    @BeforeAll
    static void load() throws Exception {
        ocr = new ModelLoader(TestModels.DEFAULTS, TestModels.JSON).load("ocr", TestModels.BUNDLED.resolve("ocr"));
    }

    @AfterAll
    static void close() {
        ocr.close();
    }

    static Stream<ReferenceCase> pages() {
        return ReferenceCase.load("ocr.json").stream();
    }

    private static JsonNode read(String image) throws Exception {
        byte[] png = Files.readAllBytes(TestModels.IMAGES.resolve(image));
        List<Object> answers = ocr.pipeline()
                .orElseThrow()
                .predict(List.of(new TaskInput.Binary(png, "image/png", "body")), null, null)
                .join();
        return TestModels.JSON.valueToTree(answers.getFirst());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pages")
    void readsAPageAsPaddleOcrDoes(ReferenceCase c) throws Exception {
        JsonNode lines = read(c.inputs().asText());
        assertEquals(texts(c.expected()), texts(lines));
        for (int i = 0; i < lines.size(); i++) {
            JsonNode expected = c.expected().get(i);
            JsonNode actual = lines.get(i);
            assertEquals(
                    expected.get("score").asDouble(),
                    actual.get("score").asDouble(),
                    SCORE_TOLERANCE,
                    "score of line " + i);
            for (int corner = 0; corner < 4; corner++) {
                for (int axis = 0; axis < 2; axis++) {
                    int want = expected.get("box").get(corner).get(axis).asInt();
                    int got = actual.get("box").get(corner).get(axis).asInt();
                    assertTrue(
                            Math.abs(want - got) <= 1,
                            "line " + i + " corner " + corner + ": " + actual.get("box") + " vs "
                                    + expected.get("box"));
                }
            }
        }
    }

    /**
     * The rendered page's character error rate against the text it was drawn from. Most of the
     * errors are left-out spaces: PP-OCRv4's recogniser was trained mostly on Chinese.
     */
    @Test
    void theRenderedPageReadsWithFewErrors() throws Exception {
        String truth =
                Files.readString(TestModels.IMAGES.resolve("ocr-page.txt")).strip();
        String read = String.join("\n", texts(read("ocr-page.png")));
        double rate = (double) levenshtein(truth, read) / truth.length();
        String truthLetters = truth.replaceAll("\\s", "");
        double lettersRate = (double) levenshtein(truthLetters, read.replaceAll("\\s", "")) / truthLetters.length();
        System.out.printf("ocr-page.png: character error rate %.4f, %.4f leaving spaces out%n", rate, lettersRate);
        assertTrue(rate <= 0.08, "character error rate " + rate + ":\n" + read);
        assertTrue(lettersRate <= 0.01, "character error rate leaving spaces out " + lettersRate + ":\n" + read);
    }

    @Test
    void parametersChangeWhatIsRead() throws Exception {
        byte[] png = Files.readAllBytes(TestModels.IMAGES.resolve("ocr-page.png"));
        JsonNode three = TestModels.JSON.valueToTree(ocr.pipeline()
                .orElseThrow()
                .predict(
                        List.of(new TaskInput.Binary(png, "image/png", "body")),
                        TestModels.JSON.readTree("{\"max_lines\": 3}"),
                        null)
                .join()
                .getFirst());
        assertEquals(3, three.size(), "the three largest regions");
        JsonNode sure = TestModels.JSON.valueToTree(ocr.pipeline()
                .orElseThrow()
                .predict(
                        List.of(new TaskInput.Binary(png, "image/png", "body")),
                        TestModels.JSON.readTree("{\"min_score\": 0.99}"),
                        null)
                .join()
                .getFirst());
        for (JsonNode line : sure) {
            assertTrue(line.get("score").asDouble() >= 0.99, line.toString());
        }
        assertTrue(sure.size() < 7, "lines below 0.99 are left out");
    }

    private static List<String> texts(JsonNode lines) {
        return Stream.iterate(0, i -> i < lines.size(), i -> i + 1)
                .map(i -> lines.get(i).get("text").asText())
                .toList();
    }

    private static int levenshtein(String a, String b) {
        int[] previous = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int[] current = new int[b.length() + 1];
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                current[j] = Math.min(
                        Math.min(previous[j] + 1, current[j - 1] + 1),
                        previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            previous = current;
        }
        return previous[b.length()];
    }
}
