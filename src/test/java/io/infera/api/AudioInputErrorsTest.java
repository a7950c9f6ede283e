package io.infera.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.infera.testing.AudioFiles;
import io.infera.testing.TestModels;
import io.infera.testing.TestServer;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bad audio bodies: problem+json naming the body, never a 500; odd but valid WAV headers are read. */
@QuarkusTest
class AudioInputErrorsTest {

    @BeforeEach
    void ready() {
        TestServer.awaitReady();
    }

    @Test
    void badAudioIsRefusedClearly() throws Exception {
        byte[] wav = Files.readAllBytes(TestModels.AUDIO.resolve("digits-16bit.wav"));
        if (AudioFiles.HAS_FFMPEG) {
            given().contentType("audio/mpeg")
                    .body("ID3 not an mp3".getBytes())
                    .post("/v1/models/tiny-wav2vec2-audio/predict")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("field", equalTo("body"))
                    .body("detail", containsString("not audio that ffmpeg can decode"));
        } else {
            given().contentType("audio/mpeg")
                    .body("ID3 not an mp3".getBytes())
                    .post("/v1/models/tiny-wav2vec2-audio/predict")
                    .then()
                    .statusCode(415)
                    .contentType("application/problem+json")
                    .body("detail", containsString("not a WAV"));
        }
        byte[] headerOnly = Arrays.copyOf(wav, 12);
        given().contentType("audio/wav")
                .body(headerOnly)
                .post("/v1/models/tiny-wav2vec2-audio/predict")
                .then()
                .statusCode(400)
                .body("field", equalTo("body"));
        // A header that claims 2 GiB of samples in 60 bytes: only what is there is read (8 samples: too short).
        byte[] liar = Arrays.copyOf(wav, 60);
        ByteBuffer.wrap(liar).order(ByteOrder.LITTLE_ENDIAN).putInt(40, Integer.MAX_VALUE);
        given().contentType("audio/wav")
                .body(liar)
                .post("/v1/models/tiny-wav2vec2-audio/predict")
                .then()
                .statusCode(400)
                .body("field", equalTo("body"))
                .body("detail", containsString("shorter than the model's window"));
        byte[] longerLiar = Arrays.copyOf(wav, 2044);
        ByteBuffer.wrap(longerLiar).order(ByteOrder.LITTLE_ENDIAN).putInt(40, Integer.MAX_VALUE);
        given().contentType("audio/wav")
                .body(longerLiar)
                .post("/v1/models/tiny-wav2vec2-audio/predict")
                .then()
                .statusCode(200);
        // The same samples declared at 8 kHz are resampled to the model's 16 kHz, not refused.
        byte[] at8k = wav.clone();
        ByteBuffer.wrap(at8k).order(ByteOrder.LITTLE_ENDIAN).putInt(24, 8000);
        given().contentType("audio/wav")
                .body(at8k)
                .post("/v1/models/tiny-wav2vec2-audio/predict")
                .then()
                .statusCode(200);
    }
}
