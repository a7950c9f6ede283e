package io.infera.processing.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.testing.TestModels;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** Whisper's log-mel features equal transformers' WhisperFeatureExtractor (torch path) within 1e-4 on real speech. */
class LogMelSpectrogramTest {

    @Test
    void equalsWhisperFeatureExtractor() throws Exception {
        JsonNode reference = TestModels.JSON.readTree(
                TestModels.REFERENCES.resolve("whisper-log-mel.json").toFile());
        Audio audio = new WavDecoder(600)
                .decode(
                        Files.readAllBytes(
                                TestModels.AUDIO.resolve(reference.get("audio").asText())),
                        "body");
        LogMelSpectrogram spectrogram = new LogMelSpectrogram(400, 160, 80, 480000, 16000);
        float[] features = spectrogram.compute(audio.samples());
        int frames = reference.get("frames").asInt();
        assertEquals(80 * frames, features.length);
        double worst = 0;
        JsonNode first = reference.get("first_frames");
        for (int m = 0; m < 80; m++) {
            for (int f = 0; f < first.get(m).size(); f++) {
                worst = Math.max(worst, Math.abs(first.get(m).get(f).asDouble() - features[m * frames + f]));
            }
        }
        assertTrue(worst < 1e-4, "largest difference " + worst);
    }
}
