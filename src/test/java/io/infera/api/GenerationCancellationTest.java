package io.infera.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infera.testing.TestServer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client that hangs up stops its generation: 120 tokens take the tiny GPT-2 about 0.4 s on 2
 * cores, a client that leaves after the first streamed piece (or right after sending, on the
 * predict route) leaves no sequence running and far fewer tokens generated.
 */
@QuarkusTest
class GenerationCancellationTest {

    private static final String MODEL = "tiny-gpt2";

    @BeforeEach
    void ready() {
        TestServer.awaitReady();
    }

    private static double metric(String series) {
        for (String line : given().get("/q/metrics").asString().split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }

    private static double generatedTokens() {
        return metric("infera_generated_tokens_total{model=\"" + MODEL + "\"}");
    }

    private static void awaitNothingRunning() throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (metric("infera_generation_sequences{model=\"" + MODEL + "\",state=\"running\"}") > 0
                && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        Thread.sleep(100);
    }

    private static Socket post(String path, String body) throws Exception {
        Socket socket = new Socket("localhost", RestAssured.port);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        OutputStream out = socket.getOutputStream();
        out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
                        + bytes.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
        return socket;
    }

    @Test
    void aStreamingClientThatHangsUpStopsItsGeneration() throws Exception {
        awaitNothingRunning();
        double before = generatedTokens();
        try (Socket socket = post(
                "/v1/completions",
                "{\"model\": \"" + MODEL + "\", \"prompt\": \"Hello world\", "
                        + "\"max_tokens\": 120, \"temperature\": 0, \"stream\": true}")) {
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("data: ")) {
                    break; // the first piece came: hang up
                }
            }
        }
        awaitNothingRunning();
        double generated = generatedTokens() - before;
        assertTrue(generated < 60, generated + " of 120 tokens generated after the client left");
    }

    @Test
    void aPredictClientThatHangsUpStopsItsGeneration() throws Exception {
        awaitNothingRunning();
        double before = generatedTokens();
        // 16 prompts x 120 tokens: enough work that a warm server cannot finish before it notices the hang-up
        String prompts = String.join(", ", java.util.Collections.nCopies(16, "\"Hello world\""));
        try (Socket socket = post(
                "/v1/models/" + MODEL + "/predict",
                "{\"inputs\": [" + prompts + "], \"parameters\": {\"max_new_tokens\": 120, \"do_sample\": false}}")) {
            Thread.sleep(5);
        }
        awaitNothingRunning();
        double generated = generatedTokens() - before;
        assertTrue(generated < 16 * 120 / 2, generated + " of " + 16 * 120 + " tokens generated after the client left");
    }
}
