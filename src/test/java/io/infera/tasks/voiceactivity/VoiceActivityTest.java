package io.infera.tasks.voiceactivity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.errors.InvalidInputException;
import io.infera.registry.ModelLoader;
import io.infera.registry.ServedModel;
import io.infera.tasks.Pipeline;
import io.infera.tasks.TaskInput;
import io.infera.testing.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real Silero VAD v5 (fetched by the build into the default models) finds the same speech
 * segments, to the sample, as fixtures/make_vad_reference.py running the same ONNX file the way
 * silero-vad's OnnxWrapper and get_speech_timestamps do: on a 45 s recording of spoken digits
 * with pauses from 0.25 s to 10 s, under five parameter sets, on a real human recording and on
 * silence. Clips batched together (padded to the longest) get the segments they get alone.
 */
class VoiceActivityTest {

    private static ServedModel model;
    private static JsonNode reference;

    @BeforeAll
    static void load() throws Exception {
        model = new ModelLoader(TestModels.DEFAULTS, TestModels.JSON)
                .load("silero-vad", TestModels.BUNDLED.resolve("silero-vad"));
        reference = TestModels.JSON.readTree(
                TestModels.REFERENCES.resolve("voice-activity-detection.json").toFile());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static Stream<JsonNode> cases() {
        List<JsonNode> cases = new ArrayList<>();
        reference.path("cases").forEach(cases::add);
        return cases.stream();
    }

    private static TaskInput clip(String name) throws IOException {
        return new TaskInput.Binary(Files.readAllBytes(TestModels.AUDIO.resolve(name)), "audio/wav", "body");
    }

    private static Pipeline pipeline() {
        return model.pipeline().orElseThrow();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void findsTheSegmentsTheReferenceFinds(JsonNode c) throws Exception {
        List<Object> answers = pipeline()
                .predict(List.of(clip(c.path("audio").asText())), c.path("parameters"), null)
                .join();
        assertSegments(c.path("segments"), TestModels.JSON.valueToTree(answers.getFirst()));
    }

    private static void assertSegments(JsonNode expected, JsonNode actual) {
        assertEquals(expected.size(), actual.size(), "segments: " + actual);
        for (int i = 0; i < expected.size(); i++) {
            // start and end are whole samples over the rate: equal to the sample
            assertEquals(
                    expected.get(i).path("start").asDouble(),
                    actual.get(i).path("start").asDouble(),
                    1e-9,
                    "" + i);
            assertEquals(
                    expected.get(i).path("end").asDouble(),
                    actual.get(i).path("end").asDouble(),
                    1e-9,
                    "" + i);
        }
    }

    @Test
    void clipsBatchedTogetherGetTheirOwnSegments() throws Exception {
        JsonNode first = reference.path("cases").get(0);
        JsonNode human = reference.path("cases").get(5);
        JsonNode silence = reference.path("cases").get(7);
        List<Object> answers = pipeline()
                .predict(
                        List.of(clip("real-five-five.wav"), clip("pauses-45s.wav"), clip("silence-16bit.wav")),
                        null,
                        null)
                .join();
        assertSegments(human.path("segments"), TestModels.JSON.valueToTree(answers.get(0)));
        assertSegments(first.path("segments"), TestModels.JSON.valueToTree(answers.get(1)));
        assertSegments(silence.path("segments"), TestModels.JSON.valueToTree(answers.get(2)));
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(
            strings = {
                "{\"threshold\": 1.5}",
                "{\"threshold\": 0.3, \"neg_threshold\": 0.4}",
                "{\"max_speech_s\": 0}",
                "{\"min_silence_ms\": -1}",
                "{\"speech_pad_ms\": \"wide\"}",
                "{\"min_silence_duration_ms\": 500}"
            })
    void refusesBadParametersNamingThem(String parameters) throws Exception {
        JsonNode bad = TestModels.JSON.readTree(parameters);
        String name = bad.fieldNames().next();
        String field = name.equals("threshold") && bad.has("neg_threshold") ? "neg_threshold" : name;
        InvalidInputException e = assertThrows(
                InvalidInputException.class, () -> pipeline().predict(List.of(clip("silence-16bit.wav")), bad, null));
        assertTrue(e.getMessage().contains(field), e.getMessage());
    }
}
