package io.infera.tasks.featureextraction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infera.errors.InvalidInputException;
import io.infera.registry.ServedModel;
import io.infera.tasks.TaskInput;
import io.infera.testing.JsonMatch;
import io.infera.testing.ReferenceCase;
import io.infera.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * feature-extraction: {@code pooling: none} equals the transformers pipeline's token vectors; the
 * pooled variants equal sentence-transformers' encode — every pooling mode, a folder's settings
 * (max_seq_length, do_lower_case, pooling flags, include_prompt) and its named prompts.
 */
class FeatureExtractionParityTest {

    private static final Map<String, ServedModel> MODELS = new ConcurrentHashMap<>();

    @TempDir
    static Path temp;

    static Stream<ReferenceCase> cases() {
        return ReferenceCase.load("feature-extraction.json").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPipeline(ReferenceCase c) {
        JsonMatch.assertMatches(c.expected(), embed(c.model(), c.inputs(), c.parameters()));
    }

    static Stream<ReferenceCase> sentenceTransformersCases() {
        return Stream.of(
                        "sentence-transformers-short.json",
                        "sentence-transformers-pooling.json",
                        "sentence-transformers-prompts.json")
                .flatMap(f -> ReferenceCase.load(f).stream());
    }

    /**
     * sentence-transformers' encode within 1e-4 (fixtures/make_sentence_transformers_models.py): a
     * folder that cuts texts at 8 tokens and lower-cases them; the same weights with every other
     * pooling mode; a folder whose flags select weighted-mean pooling without the prompt, with the
     * default prompt and a named one.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("sentenceTransformersCases")
    void readsTheSentenceTransformersSettings(ReferenceCase c) {
        JsonMatch.assertMatches(c.expected(), embed(c.model(), c.inputs(), c.parameters()));
    }

    @Test
    void matryoshkaDimensionsCutThenNormaliseWhereTheModelIsDeclaredSo() throws Exception {
        Path root = temp.resolve("matryoshka");
        TestModels.copyFolder(TestModels.DIR.resolve("tiny-st-short"), root.resolve("tiny-st-matryoshka"));
        Files.writeString(root.resolve("tiny-st-matryoshka/serving.yaml"), "embedding: {matryoshka: true}\n");
        ServedModel matryoshka = MODELS.computeIfAbsent("matryoshka", k -> TestModels.load(root, "tiny-st-matryoshka"));
        JsonNode text = TestModels.JSON.getNodeFactory().textNode("Permission is hereby granted");
        float[] whole = embedding(matryoshka, text, TestModels.JSON.createObjectNode());
        float[] cut = embedding(matryoshka, text, params("{\"dimensions\": 8}"));
        assertEquals(8, cut.length);
        assertArrayEquals(Vectors.normalise(java.util.Arrays.copyOf(whole, 8)), cut, 1e-6f);
        assertRefused(
                "parameters.dimensions",
                "have 32 dimensions",
                () -> embedding(matryoshka, text, params("{\"dimensions\": 33}")));
        assertRefused(
                "parameters.dimensions",
                "matryoshka: true",
                () -> embedding(model("tiny-st-short"), text, params("{\"dimensions\": 8}")));
    }

    @Test
    void tokenIdsEmbedAsTheTextTheyCameFrom() {
        String text = "permission is hereby granted";
        ArrayNode asIds = tokenIds("tiny-st-short", text);
        float[] fromText = embedding(
                model("tiny-st-short"), TestModels.JSON.getNodeFactory().textNode(text), params("{}"));
        float[] fromIds = embedding(model("tiny-st-short"), asIds, params("{}"));
        assertArrayEquals(fromText, fromIds, 1e-6f);
        ArrayNode outside = TestModels.JSON.createArrayNode().add(2).add(1_000_000);
        assertRefused("inputs[1]", "vocabulary", () -> embedding(model("tiny-st-short"), outside, params("{}")));
        // a prompt goes before text, never before ids
        ArrayNode promptedIds = tokenIds("tiny-st-prompts", text);
        assertRefused(
                "inputs",
                "prompt",
                () -> embedding(model("tiny-st-prompts"), promptedIds, params("{\"prompt_name\": \"passage\"}")));
        ArrayNode none = TestModels.JSON.createArrayNode();
        assertRefused("inputs", "must not be empty", () -> embedding(model("tiny-st-short"), none, params("{}")));
    }

    @Test
    void truncateFalseRefusesAnInputOverTheLimit() {
        JsonNode longText = TestModels.JSON
                .getNodeFactory()
                .textNode("Permission is hereby granted, free of charge, to any person obtaining a copy");
        assertEquals(32, embedding(model("tiny-st-short"), longText, params("{}")).length);
        assertRefused(
                "inputs",
                "over the model's limit of 8",
                () -> embedding(model("tiny-st-short"), longText, params("{\"truncate\": false}")));
        JsonNode shortText = TestModels.JSON.getNodeFactory().textNode("short");
        assertEquals(32, embedding(model("tiny-st-short"), shortText, params("{\"truncate\": false}")).length);
    }

    @Test
    void anUnknownPromptNameIsRefusedWithTheKnownOnes() {
        JsonNode text = TestModels.JSON.getNodeFactory().textNode("short");
        assertRefused(
                "parameters.prompt_name",
                "passage, query",
                () -> embedding(model("tiny-st-prompts"), text, params("{\"prompt_name\": \"document\"}")));
        assertRefused(
                "parameters.prompt_name",
                "declares no prompts",
                () -> embedding(model("tiny-st-short"), text, params("{\"prompt_name\": \"query\"}")));
    }

    /** The text's ids with the special tokens, by the tokenizers library on the model's tokenizer.json. */
    private static ArrayNode tokenIds(String model, String text) {
        ArrayNode ids = TestModels.JSON.createArrayNode();
        try (HuggingFaceTokenizer tokenizer =
                HuggingFaceTokenizer.newInstance(TestModels.DIR.resolve(model).resolve("tokenizer.json"))) {
            for (long id : tokenizer.encode(text).getIds()) {
                ids.add(id);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return ids;
    }

    private static void assertRefused(String field, String detail, Runnable call) {
        CompletionException wrapped = null;
        InvalidInputException refused;
        try {
            refused = assertThrows(InvalidInputException.class, call::run);
        } catch (AssertionError e) {
            wrapped = assertThrows(CompletionException.class, call::run);
            refused = (InvalidInputException) wrapped.getCause();
        }
        assertEquals(field, refused.field());
        assertTrue(refused.getMessage().contains(detail), refused.getMessage());
    }

    private static ObjectNode params(String json) {
        try {
            return (ObjectNode) TestModels.JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static ServedModel model(String name) {
        return MODELS.computeIfAbsent(name, TestModels::load);
    }

    private static Object embed(String model, JsonNode input, JsonNode parameters) {
        return predict(model(model), input, parameters);
    }

    private static float[] embedding(ServedModel model, JsonNode input, JsonNode parameters) {
        return ((Embedding) predict(model, input, parameters)).pooled();
    }

    private static Object predict(ServedModel model, JsonNode input, JsonNode parameters) {
        return model.pipeline()
                .orElseThrow()
                .predict(List.of(new TaskInput.Json(input, "inputs")), parameters, null)
                .join()
                .getFirst();
    }

    @AfterAll
    static void close() {
        MODELS.values().forEach(ServedModel::close);
    }
}
