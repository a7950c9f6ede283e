package io.infera.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import io.infera.testing.HttpPredict;
import io.infera.testing.JsonMatch;
import io.infera.testing.ReferenceCase;
import io.infera.testing.TestModels;
import io.infera.testing.TestServer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * OpenAI's own Python client (installed from the package index by fixtures/setup_openai_client.sh)
 * completes, streams and chats against the server, and reads our error objects as its
 * BadRequestError (src/test/python/openai_client_check.py).
 */
@QuarkusTest
class OpenAiClientTest {

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(process.waitFor(10, TimeUnit.MINUTES), "timed out: " + command);
        assertEquals(0, process.exitValue(), command + " failed: " + out);
        return out;
    }

    /**
     * The Python with the client installed. The client comes from the package index; a machine that
     * cannot install it skips (and says so), a client that disagrees with the server fails.
     */
    private static String clientPython() throws IOException, InterruptedException {
        TestServer.awaitReady();
        Process setup = new ProcessBuilder("bash", "fixtures/setup_openai_client.sh")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String installed = new String(setup.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        Assumptions.assumeTrue(
                setup.waitFor(10, TimeUnit.MINUTES) && setup.exitValue() == 0,
                "the openai Python client could not be installed (python3 -m venv / pip): " + installed);
        return installed.lines().reduce((a, b) -> b).orElseThrow();
    }

    @Test
    void theOpenAiPythonClientCompletesAndStreams() throws Exception {
        String python = clientPython();
        JsonNode chat = TestModels.JSON
                .readTree(TestModels.REFERENCES.resolve("chat-generation.json").toFile())
                .get(0);
        ReferenceCase greedy = ReferenceCase.load("text-generation.json").getFirst();
        String prompt = greedy.inputs().asText();
        String expected =
                greedy.expected().get(0).path("generated_text").asText().substring(prompt.length());

        String out = run(List.of(
                python,
                "src/test/python/openai_client_check.py",
                "http://localhost:" + RestAssured.port + "/v1",
                "tiny-gpt2",
                prompt,
                chat.path("messages").toString()));
        JsonNode seen = TestModels.JSON.readTree(out.lines().reduce((a, b) -> b).orElseThrow());

        assertEquals(expected, seen.path("completion").path("text").asText());
        assertEquals("length", seen.path("completion").path("finish_reason").asText());
        assertEquals(12, seen.path("completion").path("completion_tokens").asInt());
        assertEquals(expected, seen.path("completion_stream").path("text").asText());
        assertTrue(seen.path("completion_stream").path("chunks").asInt() > 2, out);
        assertEquals(
                chat.path("content").asText(), seen.path("chat").path("content").asText());
        assertEquals("assistant", seen.path("chat").path("role").asText());
        assertEquals(
                chat.path("content").asText(),
                seen.path("chat_stream").path("content").asText());
        assertEquals(400, seen.path("error").path("status").asInt());
        assertEquals("max_tokens", seen.path("error").path("param").asText());
    }

    /**
     * The client's embeddings (base64 by default, which it decodes; float; one string; token ids;
     * a Matryoshka cut) equal the predict route's answers for the same texts, with the tokens as
     * usage; its errors name the parameter (src/test/python/openai_embeddings_check.py).
     */
    @Test
    void theOpenAiPythonClientEmbedsAsThePredictRoute() throws Exception {
        String python = clientPython();
        List<String> texts = List.of("Permission is hereby granted", "short", "THE SOFTWARE IS PROVIDED AS IS");
        String out = run(List.of(
                python,
                "src/test/python/openai_embeddings_check.py",
                "http://localhost:" + RestAssured.port + "/v1",
                "tiny-st-short",
                "tiny-st-prompts",
                TestModels.JSON.writeValueAsString(texts)));
        JsonNode seen = TestModels.JSON.readTree(out.lines().reduce((a, b) -> b).orElseThrow());
        JsonNode inputs = TestModels.JSON.valueToTree(texts);
        JsonNode predicted = HttpPredict.json("tiny-st-short", inputs, null);
        JsonMatch.assertMatches(predicted, seen.path("base64").path("vectors"), 1e-7);
        JsonMatch.assertMatches(predicted, seen.path("float").path("vectors"), 1e-7);
        JsonMatch.assertMatches(
                TestModels.JSON.createArrayNode().add(predicted.get(0)),
                seen.path("single").path("vectors"),
                1e-7);
        assertEquals("[0,1,2]", seen.path("base64").path("indexes").toString());
        assertEquals("list", seen.path("base64").path("object").asText());
        assertEquals("tiny-st-short", seen.path("base64").path("model").asText());
        int tokens = seen.path("base64").path("prompt_tokens").asInt();
        assertEquals(tokens, seen.path("base64").path("total_tokens").asInt());
        assertEquals(tokens, expectedTokens(texts));
        assertEquals(4, seen.path("token_ids").path("prompt_tokens").asInt());
        JsonNode cut = HttpPredict.json(
                "tiny-st-prompts", inputs, TestModels.JSON.createObjectNode().put("dimensions", 8));
        JsonMatch.assertMatches(cut, seen.path("dimensions").path("vectors"), 1e-7);
        assertEquals(8, seen.path("dimensions").path("vectors").get(0).size());
        JsonNode errors = seen.path("errors");
        assertEquals(400, errors.path("dimensions").path("status").asInt());
        assertEquals("dimensions", errors.path("dimensions").path("param").asText());
        assertEquals(404, errors.path("unknown_model").path("status").asInt());
        assertEquals(400, errors.path("empty").path("status").asInt());
        assertEquals("input", errors.path("empty").path("param").asText());
    }

    /**
     * The client transcribes a WAV and an MP3 of the same clip as the predict route does, reads
     * verbose_json's word times, the text, srt and vtt formats and a stream, and its errors name the
     * field (src/test/python/openai_audio_check.py).
     */
    @Test
    void theOpenAiPythonClientTranscribesAsThePredictRoute() throws Exception {
        String python = clientPython();
        Path wav = TestModels.AUDIO.resolve("digits-16bit.wav");
        Path mp3 = TestModels.AUDIO.resolve("digits.mp3");
        String out = run(List.of(
                python,
                "src/test/python/openai_audio_check.py",
                "http://localhost:" + RestAssured.port + "/v1",
                "tiny-wav2vec2-ctc",
                wav.toString(),
                mp3.toString()));
        JsonNode seen = TestModels.JSON.readTree(out.lines().reduce((a, b) -> b).orElseThrow());
        JsonNode timestamps = TestModels.JSON.createObjectNode().put("return_timestamps", "word");
        JsonNode fromWav = HttpPredict.fileWithParameters("tiny-wav2vec2-ctc", wav, timestamps);
        JsonNode fromMp3 = HttpPredict.file("tiny-wav2vec2-ctc", mp3);
        assertEquals(fromWav.path("text").asText(), seen.path("wav").asText());
        assertEquals(fromMp3.path("text").asText(), seen.path("mp3").asText());
        assertEquals(fromWav.path("text").asText(), seen.at("/verbose/text").asText());
        assertEquals(fromWav.path("chunks").size(), seen.at("/verbose/words").size());
        for (int i = 0; i < fromWav.path("chunks").size(); i++) {
            assertEquals(
                    fromWav.path("chunks").get(i).path("text").asText(),
                    seen.at("/verbose/words").get(i).path("word").asText());
        }
        assertEquals(fromWav.path("text").asText(), seen.path("text").asText());
        assertTrue(seen.path("srt").asText().startsWith("1\n"), seen.path("srt").asText());
        assertTrue(
                seen.path("vtt").asText().startsWith("WEBVTT"), seen.path("vtt").asText());
        assertEquals(fromWav.path("text").asText(), seen.at("/stream/done/0").asText());
        assertEquals(
                "transcript.text.done",
                seen.at("/stream/types")
                        .get(seen.at("/stream/types").size() - 1)
                        .asText());
        assertEquals(400, seen.at("/errors/prompt/status").asInt());
        assertEquals("prompt", seen.at("/errors/prompt/param").asText());
        assertEquals(400, seen.at("/errors/translation/status").asInt());
        assertEquals(404, seen.at("/errors/unknown_model/status").asInt());
    }

    /**
     * The client transcribes a WAV and an MP3 through a Whisper-style model as the predict route
     * does with the same language and timestamps, translates as the predict route with task
     * translate, reads verbose_json's segments (the predict route's timestamped chunks with text),
     * transcribes a 45 s recording (past the model's window) and with a text prompt as the predict
     * route does, and its refusals name the field
     * (src/test/python/openai_whisper_check.py).
     */
    @Test
    void theOpenAiPythonClientTranscribesAndTranslatesWithAWhisperStyleModel() throws Exception {
        String python = clientPython();
        Path wav = TestModels.AUDIO.resolve("digits-16bit.wav");
        Path mp3 = TestModels.AUDIO.resolve("digits.mp3");
        String out = run(List.of(
                python,
                "src/test/python/openai_whisper_check.py",
                "http://localhost:" + RestAssured.port + "/v1",
                "tiny-whisper",
                wav.toString(),
                mp3.toString(),
                TestModels.AUDIO.resolve("pauses-45s.wav").toString()));
        JsonNode seen = TestModels.JSON.readTree(out.lines().reduce((a, b) -> b).orElseThrow());
        JsonNode english =
                TestModels.JSON.createObjectNode().put("language", "en").put("return_timestamps", true);
        JsonNode predicted = HttpPredict.fileWithParameters("tiny-whisper", wav, english);
        String fromWav = predicted.path("text").asText().strip();
        String fromMp3 = HttpPredict.fileWithParameters("tiny-whisper", mp3, english)
                .path("text")
                .asText()
                .strip();
        String translated = HttpPredict.fileWithParameters(
                        "tiny-whisper",
                        wav,
                        TestModels.JSON
                                .createObjectNode()
                                .put("task", "translate")
                                .put("return_timestamps", true))
                .path("text")
                .asText()
                .strip();
        assertTrue(!fromWav.isEmpty(), "the model writes something");
        assertEquals(fromWav, seen.path("wav").asText());
        assertEquals(fromMp3, seen.path("mp3").asText());
        assertEquals(translated, seen.path("translation").asText());
        assertEquals(fromWav, seen.at("/verbose/text").asText());
        assertEquals("en", seen.at("/verbose/language").asText());
        List<JsonNode> chunks = new java.util.ArrayList<>();
        predicted.path("chunks").forEach(c -> {
            if (!c.path("text").asText().isBlank()) {
                chunks.add(c);
            }
        });
        assertTrue(chunks.size() > 1, "timestamped chunks: " + predicted);
        assertEquals(chunks.size(), seen.at("/verbose/segments").size());
        for (int i = 0; i < chunks.size(); i++) {
            JsonNode segment = seen.at("/verbose/segments/" + i);
            assertEquals(
                    chunks.get(i).path("text").asText().strip(),
                    segment.path("text").asText());
            assertEquals(
                    chunks.get(i).at("/timestamp/0").asDouble(),
                    segment.path("start").asDouble(),
                    1e-9);
            if (!chunks.get(i).at("/timestamp/1").isNull()) {
                assertEquals(
                        chunks.get(i).at("/timestamp/1").asDouble(),
                        segment.path("end").asDouble(),
                        1e-9);
            }
        }
        assertTrue(!seen.path("long").asText().isEmpty(), "a 45 s recording transcribed: " + seen);
        String prompted = HttpPredict.fileWithParameters(
                        "tiny-whisper",
                        wav,
                        TestModels.JSON
                                .createObjectNode()
                                .put("language", "en")
                                .put("prompt", "seven three")
                                .put("return_timestamps", true))
                .path("text")
                .asText()
                .strip();
        assertEquals(prompted, seen.path("prompted").asText());
        for (String field : List.of("temperature", "language")) {
            assertEquals(400, seen.at("/errors/" + field + "/status").asInt(), field);
            assertEquals(field, seen.at("/errors/" + field + "/param").asText(), field);
        }
        assertEquals(400, seen.at("/errors/words/status").asInt());
        assertEquals("timestamp_granularities[]", seen.at("/errors/words/param").asText());
    }

    /** The tokens each text takes in tiny-st-short (lower-cased, cut at 8), as its tokenizer counts them. */
    private static int expectedTokens(List<String> texts) throws IOException {
        try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(
                TestModels.DIR.resolve("tiny-st-short/tokenizer.json"), java.util.Map.of("truncation", "false"))) {
            return texts.stream()
                    .mapToInt(t -> Math.min(tokenizer.encode(t.toLowerCase()).getIds().length, 8))
                    .sum();
        }
    }
}
