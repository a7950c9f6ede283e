package io.infera.processing.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.infera.errors.InvalidInputException;
import io.infera.errors.PayloadTooLargeException;
import io.infera.errors.UnsupportedMediaTypeException;
import io.infera.testing.Leaks;
import org.junit.jupiter.api.Timeout;

/**
 * The WAV parser and the resampler behind it, fuzzed: chunk sizes that lie, rates and channel
 * counts of any value, truncated data. Any bytes end as at most {@code MAX_SECONDS} of samples at
 * the model's rate or as a 400/413/415 that shows no internals. WAV only (no ffmpeg), so that the
 * target is the Java parser. Corpus: WavDecoderFuzzTestInputs/.
 */
class WavDecoderFuzzTest {

    private static final double MAX_SECONDS = 2.0;
    private static final int MODEL_RATE = 16_000;

    @FuzzTest(maxDuration = "2m")
    @Timeout(10)
    void anyBytes(byte[] bytes) {
        try {
            Audio audio = AudioDecoder.wavOnly(MAX_SECONDS).decode(bytes, "inputs", MODEL_RATE);
            assertEquals(MODEL_RATE, audio.sampleRate());
            assertTrue(audio.samples().length <= MAX_SECONDS * MODEL_RATE + 1, audio.samples().length + " samples");
        } catch (InvalidInputException | PayloadTooLargeException | UnsupportedMediaTypeException refused) {
            assertFalse(Leaks.in(refused.getMessage(), bytes), refused.getMessage());
        }
    }
}
