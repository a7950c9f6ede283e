package io.infera.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.infera.processing.audio.FfmpegDecoder;
import io.infera.testing.JsonMatch;
import io.infera.testing.ReferenceCase;
import io.infera.testing.TestModels;
import io.infera.testing.TestServer;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * audio-classification and CTC speech recognition (greedy text, char and word timestamps, long
 * audio in strided chunks) equal the transformers pipelines through the HTTP endpoint on speech
 * synthesised by espeak-ng in every WAV encoding (8/16/24/32-bit PCM, float, stereo mixed down),
 * silence, clipped and 50 ms clips; WAVs at 8 and 44.1 kHz (resampled in Java, the pipeline by
 * torchaudio's algorithm); FLAC, MP3, OGG/Opus and M4A decoded by ffmpeg as the pipelines do,
 * when ffmpeg is installed (fixtures/make_audio_models.py).
 */
@QuarkusTest
class AudioParityTest {

    /** The server's infera.audio.ffmpeg is auto: it uses ffmpeg when there is one on the PATH. */
    static final boolean HAS_FFMPEG = FfmpegDecoder.onPath().isPresent();

    @BeforeEach
    void ready() {
        TestServer.awaitReady();
    }

    static Stream<ReferenceCase> cases() {
        return Stream.of(
                        "audio-classification.json",
                        "speech-recognition.json",
                        "speech-recognition-strides.json",
                        "audio-classification-log-mel.json")
                .flatMap(f -> ReferenceCase.load(f).stream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesThePipeline(ReferenceCase c) throws Exception {
        String file = c.inputs().asText();
        Assumptions.assumeTrue(file.endsWith(".wav") || HAS_FFMPEG, "ffmpeg decodes " + file + " and is not installed");
        byte[] wav = Files.readAllBytes(TestModels.AUDIO.resolve(file));
        String answer;
        if (c.parameters().isEmpty()) {
            answer = given().contentType("audio/" + file.substring(file.lastIndexOf('.') + 1))
                    .body(wav)
                    .post("/v1/models/{m}/predict", c.model())
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString();
        } else {
            String body = "{\"inputs\": \"" + Base64.getEncoder().encodeToString(wav) + "\", \"parameters\": "
                    + c.parameters() + "}";
            answer = given().contentType("application/json")
                    .body(body)
                    .post("/v1/models/{m}/predict", c.model())
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString();
        }
        JsonMatch.assertMatches(c.expected(), TestModels.JSON.readTree(answer), JsonMatch.SCORE_TOLERANCE);
    }

    @Test
    void badAudioIsRefusedClearly() throws Exception {
        byte[] wav = Files.readAllBytes(TestModels.AUDIO.resolve("digits-16bit.wav"));
        if (HAS_FFMPEG) {
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
        java.nio.ByteBuffer.wrap(liar).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(40, Integer.MAX_VALUE);
        given().contentType("audio/wav")
                .body(liar)
                .post("/v1/models/tiny-wav2vec2-audio/predict")
                .then()
                .statusCode(400)
                .body("field", equalTo("body"))
                .body("detail", containsString("shorter than the model's window"));
        byte[] longerLiar = Arrays.copyOf(wav, 2044);
        java.nio.ByteBuffer.wrap(longerLiar)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putInt(40, Integer.MAX_VALUE);
        given().contentType("audio/wav")
                .body(longerLiar)
                .post("/v1/models/tiny-wav2vec2-audio/predict")
                .then()
                .statusCode(200);
        // The same samples declared at 8 kHz are resampled to the model's 16 kHz, not refused.
        byte[] at8k = wav.clone();
        java.nio.ByteBuffer.wrap(at8k).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(24, 8000);
        given().contentType("audio/wav")
                .body(at8k)
                .post("/v1/models/tiny-wav2vec2-audio/predict")
                .then()
                .statusCode(200);
    }

    @Test
    void beamSearchIsAnOptionWithoutTimestamps() throws Exception {
        String wav =
                Base64.getEncoder().encodeToString(Files.readAllBytes(TestModels.AUDIO.resolve("digits-16bit.wav")));
        given().contentType("application/json")
                .body("{\"inputs\": \"" + wav + "\", \"parameters\": {\"decoder\": \"beam\", \"beam_width\": 4}}")
                .post("/v1/models/tiny-wav2vec2-ctc/predict")
                .then()
                .statusCode(200)
                .body("text", org.hamcrest.Matchers.notNullValue())
                .body("chunks", org.hamcrest.Matchers.nullValue());
        given().contentType("application/json")
                .body("{\"inputs\": \"" + wav
                        + "\", \"parameters\": {\"decoder\": \"beam\", \"return_timestamps\": \"word\"}}")
                .post("/v1/models/tiny-wav2vec2-ctc/predict")
                .then()
                .statusCode(400)
                .body("field", equalTo("parameters.return_timestamps"));
        given().contentType("application/json")
                .body("{\"inputs\": \"" + wav + "\", \"parameters\": {\"decoder\": \"lm\"}}")
                .post("/v1/models/tiny-wav2vec2-ctc/predict")
                .then()
                .statusCode(400)
                .body("field", equalTo("parameters.decoder"));
        given().contentType("application/json")
                .body("{\"inputs\": \"" + wav
                        + "\", \"parameters\": {\"chunk_length_s\": 0.2, \"stride_length_s\": 0.1}}")
                .post("/v1/models/tiny-wav2vec2-ctc/predict")
                .then()
                .statusCode(400);
    }
}
