package io.infera.tasks.textgeneration;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.infera.registry.ServedModel;
import io.infera.tasks.Pipeline;
import io.infera.tasks.TaskInput;
import io.infera.testing.JsonMatch;
import io.infera.testing.ReferenceCase;
import io.infera.testing.TestModels;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Greedy text generation (with and without repetition penalty, full text or only the new text)
 * equals transformers' text-generation pipeline token for token on a tiny seeded GPT-2 with the
 * real GPT-2 vocabulary (fixtures/make_generation_models.py), one prompt at a time and all prompts
 * in one request, where they share the continuous batcher's steps.
 */
class TextGenerationParityTest {

    private static ServedModel model;

    @BeforeAll
    static void load() {
        model = TestModels.load("tiny-gpt2");
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static Stream<ReferenceCase> cases() {
        return ReferenceCase.load("text-generation.json").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesThePipeline(ReferenceCase c) {
        Pipeline pipeline = model.pipeline().orElseThrow();
        Object result = pipeline.predict(List.of(new TaskInput.Json(c.inputs(), "inputs")), c.parameters(), null)
                .join()
                .getFirst();
        JsonMatch.assertMatches(c.expected(), result);
    }

    /**
     * optimum's merged layout (decoder_model_merged.onnx, use_cache_branch) answers the same, and so
     * does its older layout without position_ids (the same weights; see BatchInvarianceTest for
     * such a model among other requests).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tiny-gpt2-merged", "tiny-gpt2-legacy"})
    void theMergedDecoderAnswersTheSame(String layout) {
        ServedModel merged = TestModels.load(layout);
        try {
            for (ReferenceCase c : ReferenceCase.load("text-generation.json")) {
                Object result = merged.pipeline()
                        .orElseThrow()
                        .predict(List.of(new TaskInput.Json(c.inputs(), "inputs")), c.parameters(), null)
                        .join()
                        .getFirst();
                JsonMatch.assertMatches(c.expected(), result);
            }
        } finally {
            merged.close();
        }
    }

    /** Every prompt of one parameter set in one request: batched steps with pasts of different lengths. */
    @Test
    void promptsBatchedTogetherGiveTheSameAnswers() {
        Pipeline pipeline = model.pipeline().orElseThrow();
        List<ReferenceCase> all = ReferenceCase.load("text-generation.json");
        var parameters = all.getFirst().parameters();
        List<ReferenceCase> same =
                all.stream().filter(c -> c.parameters().equals(parameters)).toList();
        List<TaskInput> inputs = new ArrayList<>();
        for (int i = 0; i < same.size(); i++) {
            inputs.add(new TaskInput.Json(same.get(i).inputs(), "inputs[" + i + "]"));
        }
        List<Object> results = pipeline.predict(inputs, parameters, null).join();
        assertEquals(same.size(), results.size());
        for (int i = 0; i < same.size(); i++) {
            JsonMatch.assertMatches(same.get(i).expected(), results.get(i));
        }
    }
}
