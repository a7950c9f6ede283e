package io.infera.api.openai;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.testing.HttpPredict;
import io.infera.testing.TestModels;
import io.infera.testing.TestServer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.io.File;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /v1/audio/transcriptions} on a CTC model: the text and word times of the predict route
 * for the same clip, in each response format; every refusal an OpenAI error object naming the field.
 */
@QuarkusTest
class OpenAiTranscriptionsTest {

    private static final String MODEL = "tiny-wav2vec2-ctc";
    private static final Path WAV = TestModels.AUDIO.resolve("digits-16bit.wav");
    private static final String ROUTE = "/v1/audio/transcriptions";

    @BeforeEach
    void ready() {
        TestServer.awaitReady();
    }

    private static RequestSpecification form() {
        return given().multiPart("file", new File(WAV.toString()), "audio/wav").multiPart("model", MODEL);
    }

    private static JsonNode predicted() {
        return HttpPredict.fileWithParameters(
                MODEL, WAV, TestModels.JSON.createObjectNode().put("return_timestamps", "word"));
    }

    @Test
    void jsonIsThePredictRoutesTextWithTheClipsDuration() throws Exception {
        JsonNode answer = TestModels.JSON.readTree(
                form().post(ROUTE).then().statusCode(200).extract().asString());
        assertEquals(predicted().path("text").asText(), answer.path("text").asText());
        assertEquals("duration", answer.at("/usage/type").asText());
        assertTrue(answer.at("/usage/seconds").asDouble() >= 1, answer.toString());
    }

    @Test
    void verboseJsonHasThePredictRoutesWordsAndSegmentsOfThem() throws Exception {
        JsonNode answer = TestModels.JSON.readTree(form().multiPart("response_format", "verbose_json")
                .multiPart("timestamp_granularities[]", "word")
                .multiPart("timestamp_granularities[]", "segment")
                .multiPart("language", "en")
                .post(ROUTE)
                .then()
                .statusCode(200)
                .extract()
                .asString());
        JsonNode chunks = predicted().path("chunks");
        assertEquals(chunks.size(), answer.path("words").size());
        for (int i = 0; i < chunks.size(); i++) {
            assertEquals(
                    chunks.get(i).path("text").asText(),
                    answer.path("words").get(i).path("word").asText());
            assertEquals(
                    chunks.get(i).path("timestamp").get(0).asDouble(),
                    answer.path("words").get(i).path("start").asDouble(),
                    5e-4);
            assertEquals(
                    chunks.get(i).path("timestamp").get(1).asDouble(),
                    answer.path("words").get(i).path("end").asDouble(),
                    5e-4);
        }
        assertEquals("transcribe", answer.path("task").asText());
        assertEquals("en", answer.path("language").asText());
        assertTrue(answer.path("duration").asDouble() > 0);
        StringBuilder joined = new StringBuilder();
        for (JsonNode segment : answer.path("segments")) {
            joined.append(joined.isEmpty() ? "" : " ")
                    .append(segment.path("text").asText());
            assertTrue(segment.path("end").asDouble() >= segment.path("start").asDouble());
        }
        StringBuilder words = new StringBuilder();
        answer.path("words")
                .forEach(w -> words.append(words.isEmpty() ? "" : " ")
                        .append(w.path("word").asText()));
        assertEquals(words.toString(), joined.toString(), "the segments are the words, in runs");
    }

    @Test
    void textSrtVttAndAStream() {
        String text = predicted().path("text").asText();
        form().multiPart("response_format", "text")
                .post(ROUTE)
                .then()
                .statusCode(200)
                .contentType(startsWith("text/plain"))
                .body(equalTo(text));
        form().multiPart("response_format", "srt")
                .post(ROUTE)
                .then()
                .statusCode(200)
                .body(startsWith("1\n00:00:"))
                .body(containsString(" --> "));
        form().multiPart("response_format", "vtt")
                .post(ROUTE)
                .then()
                .statusCode(200)
                .body(startsWith("WEBVTT\n\n"));
        String events = form().multiPart("stream", "true")
                .post(ROUTE)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertTrue(events.contains("\"type\":\"transcript.text.done\""), events);
        assertTrue(events.contains("\"text\":" + TestModels.JSON.valueToTree(text)), events);
    }

    @Test
    void refusalsAreOpenAiErrorsNamingTheField() {
        refused(given().multiPart("model", MODEL), 400, "file");
        refused(form().multiPart("voice", "x"), 400, "voice");
        refused(form().multiPart("response_format", "mp3"), 400, "response_format");
        refused(form().multiPart("timestamp_granularities[]", "word"), 400, "timestamp_granularities[]");
        refused(
                form().multiPart("timestamp_granularities[]", "line").multiPart("response_format", "verbose_json"),
                400,
                "timestamp_granularities[]");
        refused(form().multiPart("language", "English"), 400, "language");
        refused(form().multiPart("temperature", "2"), 400, "temperature");
        refused(form().multiPart("stream", "true").multiPart("response_format", "srt"), 400, "stream");
        refused(form().multiPart("prompt", "digits"), 400, "prompt");
        refused(form().multiPart("temperature", "0.5"), 400, "temperature");
        refused(
                given().multiPart("file", new File(WAV.toString()), "audio/wav")
                        .multiPart("model", "tiny-bert-sentiment"),
                400,
                "model");
        refused(
                given().multiPart("file", new File(WAV.toString()), "audio/wav").multiPart("model", "no-such-model"),
                404,
                "model");
        refused(given().multiPart("file", "not audio".getBytes()).multiPart("model", MODEL), 400, "file");
        given().contentType("application/json")
                .body("{\"model\": \"" + MODEL + "\"}")
                .post(ROUTE)
                .then()
                .statusCode(400)
                .body("error.param", equalTo("file"));
        form().post("/v1/audio/translations").then().statusCode(400).body("error.param", equalTo("model"));
    }

    private static void refused(RequestSpecification request, int status, String param) {
        request.post(ROUTE)
                .then()
                .statusCode(status)
                .contentType(startsWith("application/json"))
                .body("error.param", equalTo(param));
    }
}
