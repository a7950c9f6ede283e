package io.infera.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.testing.ReferenceCase;
import io.infera.testing.TestModels;
import io.infera.testing.TestServer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

    @Test
    void theOpenAiPythonClientCompletesAndStreams() throws Exception {
        TestServer.awaitReady();
        // The client comes from the package index; a machine that cannot install it skips (and says so),
        // a client that disagrees with the server fails.
        Process setup = new ProcessBuilder("bash", "fixtures/setup_openai_client.sh")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String installed = new String(setup.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        org.junit.jupiter.api.Assumptions.assumeTrue(
                setup.waitFor(10, TimeUnit.MINUTES) && setup.exitValue() == 0,
                "the openai Python client could not be installed (python3 -m venv / pip): " + installed);
        String python = installed.lines().reduce((a, b) -> b).orElseThrow();
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
}
