package io.infera.tasks.speechrecognition;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.infera.testing.AudioFiles;
import io.infera.testing.ReferenceCase;
import io.infera.testing.TestModels;
import io.infera.testing.TestServer;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * CTC speech recognition (greedy text, char and word timestamps, long audio in strided chunks)
 * equals the transformers pipeline through the predict endpoint, on speech synthesised by
 * espeak-ng in every WAV encoding (8/16/24/32-bit PCM, float, stereo mixed down), silence, clipped
 * and 50 ms clips; WAVs at 8 and 44.1 kHz (resampled in Java, the pipeline by torchaudio's
 * algorithm); FLAC, MP3, OGG/Opus and M4A decoded by ffmpeg as the pipeline does, when ffmpeg is
 * installed (fixtures/make_audio_models.py).
 */
@QuarkusTest
class SpeechRecognitionParityTest {

    @BeforeEach
    void ready() {
        TestServer.awaitReady();
    }

    static Stream<ReferenceCase> cases() {
        return Stream.of("speech-recognition.json", "speech-recognition-strides.json")
                .flatMap(f -> ReferenceCase.load(f).stream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesThePipeline(ReferenceCase c) {
        AudioFiles.assertAnswersAsTheReference(c);
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
                .body("text", notNullValue())
                .body("chunks", nullValue());
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
