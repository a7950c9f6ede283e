package io.infera.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.testing.ReferenceCase;
import io.infera.testing.TestModels;
import io.infera.testing.TestServer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenAI-compatible routes on the tiny GPT-2: greedy answers (temperature 0) equal the
 * transformers references, streamed text equals the whole answer, chat prompts are rendered by
 * the model's template as apply_chat_template renders them, and refusals are OpenAI error objects.
 */
@QuarkusTest
class OpenAiRoutesTest {

    @BeforeEach
    void ready() {
        TestServer.awaitReady();
    }

    private static ReferenceCase greedyCase() {
        return ReferenceCase.load("text-generation.json").getFirst(); // "Hello world", 12 new tokens, greedy
    }

    private static String completionBody(String prompt, String extra) throws Exception {
        return "{\"model\": \"tiny-gpt2\", \"prompt\": " + TestModels.JSON.writeValueAsString(prompt)
                + ", \"max_tokens\": 12, \"temperature\": 0" + extra + "}";
    }

    /** The JSON events of an SSE answer, without the final [DONE] (checked to be there). */
    private static List<JsonNode> events(Response response) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        String[] blocks = response.asString().split("\n\n");
        assertEquals("data: [DONE]", blocks[blocks.length - 1].strip());
        for (int i = 0; i < blocks.length - 1; i++) {
            assertTrue(blocks[i].startsWith("data: "), blocks[i]);
            events.add(TestModels.JSON.readTree(blocks[i].substring("data: ".length())));
        }
        return events;
    }

    @Test
    void completionEqualsTheReferenceWithUsage() throws Exception {
        ReferenceCase c = greedyCase();
        String prompt = c.inputs().asText();
        String expected = c.expected().get(0).path("generated_text").asText().substring(prompt.length());
        given().contentType("application/json")
                .body(completionBody(prompt, ""))
                .post("/v1/completions")
                .then()
                .statusCode(200)
                .body("object", equalTo("text_completion"))
                .body("id", startsWith("cmpl-"))
                .body("model", equalTo("tiny-gpt2"))
                .body("choices[0].text", equalTo(expected))
                .body("choices[0].finish_reason", equalTo("length"))
                .body("usage.prompt_tokens", equalTo(2))
                .body("usage.completion_tokens", equalTo(12))
                .body("usage.total_tokens", equalTo(14));
        given().contentType("application/json")
                .body(completionBody(prompt, ", \"echo\": true"))
                .post("/v1/completions")
                .then()
                .statusCode(200)
                .body("choices[0].text", equalTo(prompt + expected));
    }

    @Test
    void streamedPiecesAddUpToTheWholeAnswer() throws Exception {
        ReferenceCase c = greedyCase();
        String prompt = c.inputs().asText();
        String expected = c.expected().get(0).path("generated_text").asText().substring(prompt.length());
        Response response = given().contentType("application/json")
                .body(completionBody(prompt, ", \"stream\": true, \"stream_options\": {\"include_usage\": true}"))
                .post("/v1/completions");
        assertEquals(200, response.statusCode());
        assertTrue(response.contentType().startsWith("text/event-stream"), response.contentType());
        List<JsonNode> events = events(response);
        StringBuilder text = new StringBuilder();
        for (JsonNode event : events.subList(0, events.size() - 2)) {
            text.append(event.path("choices").get(0).path("text").asText());
            assertTrue(event.path("choices").get(0).path("finish_reason").isNull());
        }
        assertEquals(expected, text.toString());
        assertTrue(events.size() > 3, "text arrives in pieces: " + events.size() + " events");
        assertEquals(
                "length",
                events.get(events.size() - 2)
                        .path("choices")
                        .get(0)
                        .path("finish_reason")
                        .asText());
        JsonNode usage = events.getLast();
        assertEquals(0, usage.path("choices").size());
        assertEquals(12, usage.path("usage").path("completion_tokens").asInt());
    }

    @Test
    void chatRendersTheTemplateAndAnswersLikeThePipeline() throws Exception {
        for (JsonNode chat : TestModels.JSON.readTree(
                TestModels.REFERENCES.resolve("chat-generation.json").toFile())) {
            String body = "{\"model\": \"tiny-gpt2\", \"messages\": " + chat.path("messages") + ", \"max_tokens\": "
                    + chat.path("max_new_tokens").asInt() + ", \"temperature\": 0}";
            given().contentType("application/json")
                    .body(body)
                    .post("/v1/chat/completions")
                    .then()
                    .statusCode(200)
                    .body("object", equalTo("chat.completion"))
                    .body("choices[0].message.role", equalTo("assistant"))
                    .body(
                            "choices[0].message.content",
                            equalTo(chat.path("content").asText()))
                    .body(
                            "usage.prompt_tokens",
                            equalTo(chat.path("prompt_tokens").asInt()));
            Response streamed = given().contentType("application/json")
                    .body(body.replace("}", ", \"stream\": true}"))
                    .post("/v1/chat/completions");
            List<JsonNode> events = events(streamed);
            assertEquals(
                    "assistant",
                    events.getFirst()
                            .path("choices")
                            .get(0)
                            .path("delta")
                            .path("role")
                            .asText());
            StringBuilder text = new StringBuilder();
            events.forEach(e -> text.append(
                    e.path("choices").get(0).path("delta").path("content").asText()));
            assertEquals(chat.path("content").asText(), text.toString());
            assertEquals(
                    "chat.completion.chunk", events.getLast().path("object").asText());
        }
    }

    @Test
    void aStopSequenceEndsTheCompletion() throws Exception {
        ReferenceCase c = greedyCase();
        String prompt = c.inputs().asText();
        String expected = c.expected().get(0).path("generated_text").asText().substring(prompt.length());
        String stop = expected.substring(expected.length() / 2, expected.length() / 2 + 2);
        given().contentType("application/json")
                .body(completionBody(prompt, ", \"stop\": [" + TestModels.JSON.writeValueAsString(stop) + "]"))
                .post("/v1/completions")
                .then()
                .statusCode(200)
                .body("choices[0].text", equalTo(expected.substring(0, expected.indexOf(stop))))
                .body("choices[0].finish_reason", equalTo("stop"));
    }

    @Test
    void refusalsAreOpenAiErrorObjects() throws Exception {
        given().contentType("application/json")
                .body(completionBody("", ""))
                .post("/v1/completions")
                .then()
                .statusCode(400)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.param", equalTo("prompt"));
        given().contentType("application/json")
                .body(completionBody("hi", "").replace("\"max_tokens\": 12", "\"max_tokens\": 100000"))
                .post("/v1/completions")
                .then()
                .statusCode(400)
                .body("error.param", equalTo("max_tokens"));
        given().contentType("application/json")
                .body(completionBody("hi", "").replace("tiny-gpt2", "no-such-model"))
                .post("/v1/completions")
                .then()
                .statusCode(404)
                .body("error.code", equalTo("model_not_found"));
        given().contentType("application/json")
                .body(completionBody("hi", "").replace("tiny-gpt2", "tiny-bert-sentiment"))
                .post("/v1/completions")
                .then()
                .statusCode(400)
                .body("error.param", equalTo("model"));
        given().contentType("application/json")
                .body(completionBody("hi", ", \"n\": 2"))
                .post("/v1/completions")
                .then()
                .statusCode(400)
                .body("error.param", equalTo("n"));
        given().contentType("application/json")
                .body(completionBody("hi", ", \"frobnicate\": 1"))
                .post("/v1/completions")
                .then()
                .statusCode(400)
                .body("error.param", equalTo("frobnicate"));
        given().contentType("application/json")
                .body("{not json")
                .post("/v1/chat/completions")
                .then()
                .statusCode(400)
                .body("error.type", equalTo("invalid_request_error"));
        given().contentType("application/json")
                .body("{\"model\": \"tiny-gpt2\", \"messages\": []}")
                .post("/v1/chat/completions")
                .then()
                .statusCode(400)
                .body("error.param", equalTo("messages"));
        given().contentType("application/json")
                .body("{\"model\": \"tiny-gpt2\", \"messages\": [{\"role\": \"wizard\", \"content\": \"x\"}]}")
                .post("/v1/chat/completions")
                .then()
                .statusCode(400)
                .body("error.param", equalTo("messages[0].role"));
    }
}
