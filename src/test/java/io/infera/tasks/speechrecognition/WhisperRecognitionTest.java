package io.infera.tasks.speechrecognition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.errors.InvalidInputException;
import io.infera.registry.ModelLoader;
import io.infera.registry.ServedModel;
import io.infera.tasks.Pipeline;
import io.infera.tasks.TaskInput;
import io.infera.testing.ReferenceCase;
import io.infera.testing.TestModels;
import java.nio.file.Files;
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
 * A tiny seeded Whisper in optimum's files (fixtures/make_whisper_models.py) transcribes as the
 * transformers 4.57 automatic-speech-recognition pipeline does, text exact: language asked or
 * detected, transcribe and translate, 16 kHz, 8 kHz and 44.1 kHz clips; several clips decoding
 * together answer as each alone.
 */
class WhisperRecognitionTest {

    private static ServedModel model;

    @BeforeAll
    static void load() throws Exception {
        model = new ModelLoader(TestModels.DEFAULTS, TestModels.JSON)
                .load("tiny-whisper", TestModels.DIR.resolve("tiny-whisper"));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static Stream<ReferenceCase> cases() {
        return ReferenceCase.load("whisper-speech-recognition.json").stream();
    }

    private static Pipeline pipeline() {
        return model.pipeline().orElseThrow();
    }

    private static TaskInput clip(String name) throws Exception {
        return new TaskInput.Binary(Files.readAllBytes(TestModels.AUDIO.resolve(name)), "audio/wav", "body");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void transcribesAsTheTransformersPipeline(ReferenceCase c) throws Exception {
        List<Object> answers = pipeline()
                .predict(List.of(clip(c.inputs().asText())), c.parameters(), null)
                .join();
        assertEquals(
                c.expected().get("text").asText(),
                TestModels.JSON.valueToTree(answers.getFirst()).get("text").asText());
    }

    @Test
    void clipsDecodingTogetherAnswerAsAlone() throws Exception {
        List<ReferenceCase> all = cases().toList();
        List<TaskInput> clips = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        JsonNode parameters = null;
        for (ReferenceCase c : all) {
            if (c.parameters().path("language").asText("").equals("en")
                    && c.parameters().path("max_new_tokens").asInt() == 16
                    && !c.parameters().has("task")
                    && !c.parameters().has("num_beams")) {
                clips.add(clip(c.inputs().asText()));
                expected.add(c.expected().get("text").asText());
                parameters = c.parameters();
            }
        }
        assertTrue(clips.size() >= 3, "cases with the same parameters");
        List<Object> answers = pipeline().predict(clips, parameters, null).join();
        for (int i = 0; i < clips.size(); i++) {
            assertEquals(
                    expected.get(i),
                    TestModels.JSON.valueToTree(answers.get(i)).get("text").asText());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "{\"language\": \"xx\"}",
                "{\"task\": \"summarise\"}",
                "{\"return_timestamps\": true}",
                "{\"chunk_length_s\": 30}",
                "{\"num_beams\": 99}",
                "{\"max_new_tokens\": 5000}",
                "{\"temperature\": 0.5}"
            })
    void refusesWhatItCannotDoNamingTheParameter(String parameters) throws Exception {
        JsonNode bad = TestModels.JSON.readTree(parameters);
        String name = bad.fieldNames().next();
        InvalidInputException e = assertThrows(
                InvalidInputException.class, () -> pipeline().predict(List.of(clip("speech-5s.wav")), bad, null));
        assertTrue(e.getMessage().contains(name), e.getMessage());
    }
}
