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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A tiny seeded Whisper in optimum's files (fixtures/make_whisper_models.py) transcribes as the
 * transformers 4.57 automatic-speech-recognition pipeline does, text and timestamped chunks exact:
 * language asked or detected, transcribe and translate, greedy and beams, 16 kHz, 8 kHz and 44.1 kHz
 * clips, timestamps (window by window over the padding), a 45 s recording in chunks of 30 s and of
 * 10 s with strides, long-form, and text prompts; several clips decoding together answer as each
 * alone.
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
        assertEquals(c.expected(), TestModels.JSON.valueToTree(answers.getFirst()));
    }

    @Test
    void longClipsDecodingTogetherAnswerAsAlone() throws Exception {
        List<ReferenceCase> chunked = cases().filter(c -> c.parameters().has("chunk_length_s")
                        || c.inputs().asText().equals("pauses-45s.wav"))
                .toList();
        assertTrue(chunked.size() >= 4, "long-audio cases");
        List<java.util.concurrent.CompletableFuture<List<Object>>> running = new ArrayList<>();
        for (ReferenceCase c : chunked) {
            running.add(pipeline().predict(List.of(clip(c.inputs().asText())), c.parameters(), null));
        }
        for (int i = 0; i < chunked.size(); i++) {
            assertEquals(
                    chunked.get(i).expected(),
                    TestModels.JSON.valueToTree(running.get(i).join().getFirst()));
        }
    }

    @Test
    void theModelsReturnTimestampsSettingAsksForTimestamps(@TempDir Path dir) throws Exception {
        Path folder = dir.resolve("tiny-whisper");
        TestModels.copyFolder(TestModels.DIR.resolve("tiny-whisper"), folder);
        com.fasterxml.jackson.databind.node.ObjectNode config =
                (com.fasterxml.jackson.databind.node.ObjectNode) TestModels.JSON.readTree(
                        folder.resolve("generation_config.json").toFile());
        Files.writeString(
                folder.resolve("generation_config.json"),
                config.put("return_timestamps", true).toString());
        ReferenceCase timestamped = cases().filter(
                        c -> c.parameters().path("return_timestamps").asBoolean()
                                && c.inputs().asText().equals("speech-5s.wav"))
                .findFirst()
                .orElseThrow();
        com.fasterxml.jackson.databind.node.ObjectNode parameters =
                timestamped.parameters().deepCopy();
        parameters.remove("return_timestamps");
        ServedModel defaulted = new ModelLoader(TestModels.DEFAULTS, TestModels.JSON).load("tiny-whisper", folder);
        try {
            List<Object> answers = defaulted
                    .pipeline()
                    .orElseThrow()
                    .predict(List.of(clip("speech-5s.wav")), parameters, null)
                    .join();
            assertEquals(timestamped.expected(), TestModels.JSON.valueToTree(answers.getFirst()));
        } finally {
            defaulted.close();
        }
    }

    @Test
    void refusesALongClipWithoutTimestampsOrChunksNamingTheInput() throws Exception {
        InvalidInputException e = assertThrows(
                InvalidInputException.class,
                () -> pipeline().predict(List.of(clip("pauses-45s.wav")), TestModels.JSON.readTree("{}"), null));
        assertEquals("body", e.field());
        assertTrue(e.getMessage().contains("chunk_length_s"), e.getMessage());
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
                "{\"return_timestamps\": \"word\"}",
                "{\"prompt\": \"say <|en|> here\"}",
                "{\"chunk_length_s\": 45}",
                "{\"stride_length_s\": [20, 20], \"chunk_length_s\": 30}",
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
