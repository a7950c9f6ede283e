package io.infera.tasks.textgeneration;

import io.infera.registry.ServedModel;
import io.infera.tasks.TaskInput;
import io.infera.testing.JsonMatch;
import io.infera.testing.ReferenceCase;
import io.infera.testing.TestModels;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * text2text-generation equals transformers' pipeline (4.57.6, the last with it) on a tiny seeded
 * BART and a tiny seeded T5 (relative position biases) in optimum's three files: greedy, and beam
 * search with 2 to 4 beams, length penalties 0.5 to 2 and early_stopping false, true and "never";
 * and on the BART under a bart-large-cnn-shaped generation_config.json (4 beams, max_length,
 * min_length, no_repeat_ngram_size 3, forced BOS and EOS), request parameters over it, several
 * sequences per text, and a list of texts answered as the pipeline shapes it (fixtures/make_seq2seq_models.py).
 */
class Text2TextGenerationParityTest {

    private static final java.util.Map<String, ServedModel> MODELS = new java.util.concurrent.ConcurrentHashMap<>();

    @AfterAll
    static void close() {
        MODELS.values().forEach(ServedModel::close);
    }

    /** optimum's merged decoder (decoder_model_merged.onnx, use_cache_branch) answers as the two decoders do. */
    @org.junit.jupiter.api.Test
    void theMergedDecoderAnswersTheSame() {
        ServedModel merged = MODELS.computeIfAbsent("tiny-bart-merged", TestModels::load);
        for (ReferenceCase c : ReferenceCase.load("text2text-generation.json")) {
            if (c.model().equals("tiny-bart")) {
                Object result = merged.pipeline()
                        .orElseThrow()
                        .predict(List.of(new TaskInput.Json(c.inputs(), "inputs")), c.parameters(), null)
                        .join()
                        .getFirst();
                JsonMatch.assertMatches(c.expected(), result);
            }
        }
    }

    static Stream<ReferenceCase> configCases() {
        return ReferenceCase.load("text2text-generation-config.json").stream()
                .filter(c -> !c.model().endsWith("-changed"));
    }

    /**
     * What config.json says to the pipeline: a prefix before every text (tiny-t5 with "summarize: "),
     * and task_specific_params for text2text-generation laid over the generation settings, their
     * prefix included (tiny-bart). Each written into a copy of the model's config.json.
     */
    @org.junit.jupiter.api.Test
    void readsWhatConfigJsonSaysToThePipeline(@org.junit.jupiter.api.io.TempDir java.nio.file.Path root)
            throws Exception {
        com.fasterxml.jackson.databind.JsonNode all = TestModels.JSON.readTree(TestModels.REFERENCES
                .resolve("text2text-generation-config.json")
                .toFile());
        java.util.Map<String, ServedModel> changed = new java.util.HashMap<>();
        try {
            int checked = 0;
            for (com.fasterxml.jackson.databind.JsonNode c : all) {
                if (!c.has("config_changes")) {
                    continue;
                }
                ServedModel model = changed.computeIfAbsent(c.get("model").asText(), name -> {
                    try {
                        java.nio.file.Path folder = root.resolve(name);
                        TestModels.copyFolder(
                                TestModels.DIR.resolve(c.get("base_model").asText()), folder);
                        var config = (com.fasterxml.jackson.databind.node.ObjectNode) TestModels.JSON.readTree(
                                folder.resolve("config.json").toFile());
                        config.setAll((com.fasterxml.jackson.databind.node.ObjectNode) c.get("config_changes"));
                        java.nio.file.Files.writeString(folder.resolve("config.json"), config.toString());
                        return TestModels.load(root, name);
                    } catch (java.io.IOException e) {
                        throw new AssertionError(e);
                    }
                });
                Object result = model.pipeline()
                        .orElseThrow()
                        .predict(List.of(new TaskInput.Json(c.get("inputs"), "inputs")), c.get("parameters"), null)
                        .join()
                        .getFirst();
                JsonMatch.assertMatches(c.get("expected"), result);
                checked++;
            }
            org.junit.jupiter.api.Assertions.assertEquals(8, checked, "reference cases with config.json changes");
        } finally {
            changed.values().forEach(ServedModel::close);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configCases")
    void matchesThePipelineUnderTheModelsGenerationConfig(ReferenceCase c) {
        ServedModel model = MODELS.computeIfAbsent(c.model(), TestModels::load);
        List<TaskInput> inputs = new java.util.ArrayList<>();
        if (c.inputs().isArray()) {
            for (int i = 0; i < c.inputs().size(); i++) {
                inputs.add(new TaskInput.Json(c.inputs().get(i), "inputs[" + i + "]"));
            }
        } else {
            inputs.add(new TaskInput.Json(c.inputs(), "inputs"));
        }
        List<Object> results = model.pipeline()
                .orElseThrow()
                .predict(inputs, c.parameters(), null)
                .join();
        Object answer = c.inputs().isArray() ? model.pipeline().orElseThrow().batchAnswer(results) : results.getFirst();
        JsonMatch.assertMatches(c.expected(), answer);
    }

    static Stream<ReferenceCase> cases() {
        return ReferenceCase.load("text2text-generation.json").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesThePipeline(ReferenceCase c) {
        ServedModel model = MODELS.computeIfAbsent(c.model(), TestModels::load);
        Object result = model.pipeline()
                .orElseThrow()
                .predict(List.of(new TaskInput.Json(c.inputs(), "inputs")), c.parameters(), null)
                .join()
                .getFirst();
        JsonMatch.assertMatches(c.expected(), result);
    }
}
