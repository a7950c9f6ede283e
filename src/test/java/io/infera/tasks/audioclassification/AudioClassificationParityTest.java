package io.infera.tasks.audioclassification;

import io.infera.testing.AudioFiles;
import io.infera.testing.ReferenceCase;
import io.infera.testing.TestServer;
import io.quarkus.test.junit.QuarkusTest;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * audio-classification equals the transformers pipeline through the predict endpoint, for a raw
 * waveform and a log-mel feature extractor, on speech synthesised by espeak-ng in every WAV
 * encoding and, where ffmpeg is installed, in the compressed formats the pipeline decodes with it
 * (fixtures/make_audio_models.py).
 */
@QuarkusTest
class AudioClassificationParityTest {

    @BeforeEach
    void ready() {
        TestServer.awaitReady();
    }

    static Stream<ReferenceCase> cases() {
        return Stream.of("audio-classification.json", "audio-classification-log-mel.json")
                .flatMap(f -> ReferenceCase.load(f).stream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesThePipeline(ReferenceCase c) {
        AudioFiles.assertAnswersAsTheReference(c);
    }
}
