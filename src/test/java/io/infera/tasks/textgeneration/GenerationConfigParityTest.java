package io.infera.tasks.textgeneration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infera.errors.InvalidInputException;
import io.infera.errors.ModelLoadException;
import io.infera.registry.ModelLoader;
import io.infera.registry.ServedModel;
import io.infera.tasks.TaskInput;
import io.infera.testing.JsonMatch;
import io.infera.testing.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The keys of generation_config.json that change the tokens, and the same names as request
 * parameters, equal transformers' text-generation pipeline (5.18) on the tiny GPT-2 with each
 * generation_config.json variant of fixtures/make_generation_models.py (no_repeat_ngram_size,
 * min_new_tokens, min_length, bad_words_ids, suppress_tokens, begin_suppress_tokens, max_length,
 * forced_eos_token_id, repetition_penalty, exponential_decay_length_penalty), a request parameter
 * winning over the file. Keys Infera does not implement refuse the requests they would change.
 */
class GenerationConfigParityTest {

    private static final Path ROOT = tempRoot();
    private static final Map<String, ServedModel> MODELS = new ConcurrentHashMap<>();

    private static Path tempRoot() {
        try {
            return Files.createTempDirectory("infera-generation-config");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A model folder named {@code name}: tiny-gpt2's files with this generation_config.json. */
    private static Path folder(String name, JsonNode generationConfig) throws IOException {
        Path folder = ROOT.resolve(name);
        TestModels.copyFolder(TestModels.DIR.resolve("tiny-gpt2"), folder);
        Files.writeString(folder.resolve("generation_config.json"), generationConfig.toString());
        return folder;
    }

    private static ServedModel model(JsonNode generationConfig) {
        return MODELS.computeIfAbsent(generationConfig.toString(), key -> {
            try {
                String name = "gpt2-config-" + MODELS.size();
                folder(name, generationConfig);
                return TestModels.load(ROOT, name);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
    }

    @AfterAll
    static void close() {
        MODELS.values().forEach(ServedModel::close);
    }

    record Case(JsonNode generationConfig, JsonNode inputs, JsonNode parameters, JsonNode expected) {
        @Override
        public String toString() {
            return generationConfig + " " + parameters + " " + inputs;
        }
    }

    static Stream<Case> cases() throws IOException {
        JsonNode all = TestModels.JSON.readTree(
                TestModels.REFERENCES.resolve("text-generation-config.json").toFile());
        List<Case> cases = new ArrayList<>();
        all.forEach(c -> cases.add(
                new Case(c.get("generation_config"), c.get("inputs"), c.get("parameters"), c.get("expected"))));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesThePipeline(Case c) {
        Object result = model(c.generationConfig())
                .pipeline()
                .orElseThrow()
                .predict(List.of(new TaskInput.Json(c.inputs(), "inputs")), c.parameters(), null)
                .join()
                .getFirst();
        JsonMatch.assertMatches(c.expected(), result);
    }

    private static List<Object> predict(ServedModel model, String parameters) {
        try {
            return model.pipeline()
                    .orElseThrow()
                    .predict(
                            List.of(new TaskInput.Json(
                                    TestModels.JSON.getNodeFactory().textNode("Hello world"), "inputs")),
                            TestModels.JSON.readTree(parameters),
                            null)
                    .join();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static ObjectNode config(String json) {
        try {
            return (ObjectNode) TestModels.JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** typical_p takes effect only when sampling: a sampling request is refused naming it, a greedy one answers. */
    @Test
    void aKeyThatIsNotImplementedRefusesTheRequestsItWouldChange() {
        ServedModel typical = model(
                config("{\"eos_token_id\": 50256, \"do_sample\": true, \"typical_p\": 0.9, \"max_new_tokens\": 4}"));
        InvalidInputException refused = assertThrows(InvalidInputException.class, () -> predict(typical, "{}"));
        assertTrue(refused.getMessage().contains("generation_config.json typical_p 0.9"), refused.getMessage());
        assertEquals(1, predict(typical, "{\"do_sample\": false}").size());
        // a neutral value changes nothing and is accepted
        ServedModel neutral = model(
                config("{\"eos_token_id\": 50256, \"typical_p\": 1.0, \"do_sample\": false, \"max_new_tokens\": 4}"));
        assertEquals(1, predict(neutral, "{}").size());
    }

    /** Beam search is not implemented for decoder-only models: a model that asks for it says so at each request. */
    @Test
    void beamsForADecoderOnlyModelAreRefusedNamingTheKey() {
        ServedModel beams = model(
                config("{\"eos_token_id\": 50256, \"num_beams\": 4, \"do_sample\": false, \"max_new_tokens\": 4}"));
        InvalidInputException refused = assertThrows(InvalidInputException.class, () -> predict(beams, "{}"));
        assertTrue(refused.getMessage().contains("generation_config.json num_beams"), refused.getMessage());
        assertEquals(1, predict(beams, "{\"num_beams\": 1}").size());
        assertThrows(
                InvalidInputException.class,
                () -> predict(model(config("{\"eos_token_id\": 50256}")), "{\"num_beams\": 2, \"do_sample\": false}"));
    }

    /** A value generate would refuse fails the model's load with the file and key named. */
    @Test
    void anInvalidValueFailsTheLoad() throws IOException {
        Path folder = folder("gpt2-invalid", config("{\"eos_token_id\": 50256, \"no_repeat_ngram_size\": \"three\"}"));
        ModelLoadException failed = assertThrows(
                ModelLoadException.class,
                () -> new ModelLoader(TestModels.DEFAULTS, TestModels.JSON).load("gpt2-invalid", folder));
        assertTrue(failed.getMessage().contains("generation_config.json no_repeat_ngram_size"), failed.getMessage());
        Path outOfVocabulary =
                folder("gpt2-vocabulary", config("{\"eos_token_id\": 50256, \"suppress_tokens\": [50257]}"));
        failed = assertThrows(
                ModelLoadException.class,
                () -> new ModelLoader(TestModels.DEFAULTS, TestModels.JSON).load("gpt2-vocabulary", outOfVocabulary));
        assertTrue(failed.getMessage().contains("suppress_tokens"), failed.getMessage());
    }

    /**
     * num_return_sequences draws that many sequences per prompt when sampling, each with its own
     * seed (the request's plus its index): reproducible, and different from each other; greedy
     * decoding has one sequence to give and refuses more, as generate does.
     */
    @Test
    void severalSequencesPerPromptWhenSampling() {
        ServedModel model = model(config("{\"eos_token_id\": 50256}"));
        String sampling =
                "{\"do_sample\": true, \"num_return_sequences\": 3, \"seed\": 11, \"max_new_tokens\": 8, \"top_k\": 0}";
        List<?> first = (List<?>) predict(model, sampling).getFirst();
        assertEquals(3, first.size());
        assertEquals(first, predict(model, sampling).getFirst());
        assertNotEquals(first.get(0), first.get(1));
        // the first sequence is the one a single draw with the same seed gives
        List<?> single =
                (List<?>) predict(model, sampling.replace("\"num_return_sequences\": 3", "\"num_return_sequences\": 1"))
                        .getFirst();
        assertEquals(single.getFirst(), first.getFirst());
        InvalidInputException greedy = assertThrows(
                InvalidInputException.class,
                () -> predict(model, "{\"do_sample\": false, \"num_return_sequences\": 2}"));
        assertTrue(greedy.getMessage().contains("num_return_sequences"), greedy.getMessage());
    }

    /** max_length is refused as a request parameter: the pipeline's default max_new_tokens would silently win over it. */
    @Test
    void maxLengthIsNotARequestParameter() {
        ServedModel model = model(config("{\"eos_token_id\": 50256}"));
        InvalidInputException refused =
                assertThrows(InvalidInputException.class, () -> predict(model, "{\"max_length\": 10}"));
        assertTrue(refused.getMessage().contains("max_new_tokens"), refused.getMessage());
    }
}
