package io.infera.tasks.speechrecognition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.errors.ModelLoadException;
import io.infera.errors.ModelNotFoundException;
import io.infera.processing.audio.Audio;
import io.infera.processing.audio.AudioDecoder;
import io.infera.registry.ModelLoader;
import io.infera.registry.ServedModel;
import io.infera.tasks.Pipeline;
import io.infera.tasks.TaskInput;
import io.infera.testing.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A speech recogniser with serving.yaml {@code vad:} (the bundled speech-digits behind the bundled
 * Silero VAD): the 45 s recording with long pauses is cut where the detector finds speech, each
 * utterance transcribed as the recogniser transcribes it alone, the texts joined and the word
 * times moved to the clip's; the digits spoken are heard.
 */
class UtteranceCuttingTest {

    private static final String VAD = "min_silence_ms: 300, speech_pad_ms: 100";

    @TempDir
    static Path folders;

    private static ServedModel vad;
    private static ServedModel plain;
    private static ServedModel cut;

    @BeforeAll
    static void load() throws Exception {
        ModelLoader loader = new ModelLoader(TestModels.DEFAULTS, TestModels.JSON);
        vad = loader.load("silero-vad", TestModels.BUNDLED.resolve("silero-vad"));
        plain = loader.load("speech-digits", TestModels.BUNDLED.resolve("speech-digits"));
        Path folder = copy("speech-digits", "speech-digits-vad", "vad: {model: silero-vad, " + VAD + "}\n");
        cut = loader.load("speech-digits-vad", folder, name -> {
            if (!name.equals("silero-vad")) {
                throw new ModelNotFoundException("model '" + name + "' is not served here");
            }
            return vad.pipeline().orElseThrow();
        });
    }

    /** The bundled model's folder with a line added to its serving.yaml. */
    private static Path copy(String model, String name, String servingLine) throws IOException {
        return copy(TestModels.BUNDLED.resolve(model), name, servingLine);
    }

    private static Path copy(Path from, String name, String servingLine) throws IOException {
        return TestModels.copyWithServing(from, folders.resolve(name), servingLine);
    }

    @AfterAll
    static void close() {
        cut.close();
        plain.close();
        vad.close();
    }

    private static TaskInput recording() throws IOException {
        return new TaskInput.Binary(
                Files.readAllBytes(TestModels.AUDIO.resolve("pauses-45s.wav")), "audio/wav", "body");
    }

    private static JsonNode answer(Pipeline pipeline, TaskInput input, String parameters) throws Exception {
        JsonNode p = parameters == null ? null : TestModels.JSON.readTree(parameters);
        return TestModels.JSON.valueToTree(
                pipeline.predict(List.of(input), p, null).join().getFirst());
    }

    @Test
    void eachUtteranceIsTranscribedAsAloneAndTheTimesMoveToTheClips() throws Exception {
        JsonNode segments =
                answer(vad.pipeline().orElseThrow(), recording(), "{\"min_silence_ms\": 300, \"speech_pad_ms\": 100}");
        float[] samples = AudioDecoder.wavOnly(60)
                .decode(Files.readAllBytes(TestModels.AUDIO.resolve("pauses-45s.wav")), "body", 16000)
                .samples();
        List<String> texts = new ArrayList<>();
        List<JsonNode> words = new ArrayList<>();
        for (JsonNode segment : segments) {
            int from = (int) Math.round(segment.path("start").asDouble() * 16000);
            int to = (int) Math.round(segment.path("end").asDouble() * 16000);
            TaskInput piece = new TaskInput.Decoded(new Audio(Arrays.copyOfRange(samples, from, to), 16000), "body");
            JsonNode alone = answer(plain.pipeline().orElseThrow(), piece, "{\"return_timestamps\": \"word\"}");
            if (!alone.path("text").asText().isBlank()) {
                texts.add(alone.path("text").asText());
            }
            for (JsonNode word : alone.path("chunks")) {
                words.add(TestModels.JSON
                        .createObjectNode()
                        .put("text", word.path("text").asText())
                        .put("start", word.path("timestamp").get(0).asDouble() + from / 16000.0)
                        .put("end", word.path("timestamp").get(1).asDouble() + from / 16000.0));
            }
        }
        JsonNode whole = answer(cut.pipeline().orElseThrow(), recording(), "{\"return_timestamps\": \"word\"}");
        assertEquals(String.join(" ", texts), whole.path("text").asText());
        assertEquals(words.size(), whole.path("chunks").size());
        for (int i = 0; i < words.size(); i++) {
            JsonNode mine = whole.path("chunks").get(i);
            assertEquals(words.get(i).path("text").asText(), mine.path("text").asText());
            assertEquals(
                    words.get(i).path("start").asDouble(),
                    mine.path("timestamp").get(0).asDouble(),
                    1e-9);
            assertEquals(
                    words.get(i).path("end").asDouble(),
                    mine.path("timestamp").get(1).asDouble(),
                    1e-9);
        }
        // what the voices say, heard through the faint noise the recording carries
        assertTrue(whole.path("text").asText().startsWith("four two seven"), whole.toString());
        assertTrue(whole.path("text").asText().contains("nine one"), whole.toString());
        assertTrue(whole.path("text").asText().contains("five five"), whole.toString());
        // nothing is heard outside the utterances: the first word starts after the first second of silence
        assertTrue(whole.path("chunks").get(0).path("timestamp").get(0).asDouble() > 0.9, whole.toString());
    }

    /**
     * A Whisper-style model reads 30 s at most; behind the detector the 45 s recording is
     * utterances it reads, each answered as alone.
     */
    @Test
    void aWhisperStyleRecogniserReadsTheUtterancesOfARecordingLongerThanItsWindow() throws Exception {
        String parameters = "{\"language\": \"en\", \"num_beams\": 1, \"max_new_tokens\": 3}";
        ModelLoader loader = new ModelLoader(TestModels.DEFAULTS, TestModels.JSON);
        ServedModel whisper = loader.load("tiny-whisper", TestModels.DIR.resolve("tiny-whisper"));
        Path folder = copy(TestModels.DIR.resolve("tiny-whisper"), "tiny-whisper-vad", "vad: {model: silero-vad}\n");
        ServedModel cutWhisper =
                loader.load("tiny-whisper-vad", folder, name -> vad.pipeline().orElseThrow());
        try {
            assertThrows(
                    io.infera.errors.InvalidInputException.class,
                    () -> answer(whisper.pipeline().orElseThrow(), recording(), parameters));
            JsonNode segments = answer(vad.pipeline().orElseThrow(), recording(), null);
            float[] samples = AudioDecoder.wavOnly(60)
                    .decode(Files.readAllBytes(TestModels.AUDIO.resolve("pauses-45s.wav")), "body", 16000)
                    .samples();
            List<String> texts = new ArrayList<>();
            for (JsonNode segment : segments) {
                int from = (int) Math.round(segment.path("start").asDouble() * 16000);
                int to = (int) Math.round(segment.path("end").asDouble() * 16000);
                TaskInput piece =
                        new TaskInput.Decoded(new Audio(Arrays.copyOfRange(samples, from, to), 16000), "body");
                String text = answer(whisper.pipeline().orElseThrow(), piece, parameters)
                        .path("text")
                        .asText();
                if (!text.isBlank()) {
                    texts.add(text.strip());
                }
            }
            assertTrue(texts.size() > 3, "utterances: " + texts);
            assertEquals(
                    String.join(" ", texts),
                    answer(cutWhisper.pipeline().orElseThrow(), recording(), parameters)
                            .path("text")
                            .asText());
        } finally {
            cutWhisper.close();
            whisper.close();
        }
    }

    @Test
    void aLoadWithVadOnAModelOfAnotherTaskFails() throws Exception {
        Path folder = copy("silero-vad", "vad-on-vad", "vad: {model: silero-vad}\n");
        ModelLoadException e = assertThrows(
                ModelLoadException.class,
                () -> new ModelLoader(TestModels.DEFAULTS, TestModels.JSON).load("vad-on-vad", folder));
        assertTrue(e.getMessage().contains("automatic-speech-recognition"), e.getMessage());
    }

    @Test
    void aRecogniserWhoseDetectorIsNotServedAnswersNotFoundNamingIt() throws Exception {
        Path folder = copy("speech-digits", "speech-digits-lost-vad", "vad: {model: no-such-vad}\n");
        ServedModel lost = new ModelLoader(TestModels.DEFAULTS, TestModels.JSON).load("speech-digits-lost-vad", folder);
        try {
            ModelNotFoundException e = assertThrows(
                    ModelNotFoundException.class, () -> answer(lost.pipeline().orElseThrow(), recording(), null));
            assertTrue(e.getMessage().contains("no-such-vad"), e.getMessage());
        } finally {
            lost.close();
        }
    }
}
