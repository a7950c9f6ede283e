package io.infera.processing.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infera.errors.InvalidInputException;
import io.infera.errors.PayloadTooLargeException;
import io.infera.errors.UnsupportedMediaTypeException;
import io.infera.testing.TestModels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WAV is decoded in Java everywhere; other containers go to ffmpeg when there is one (the tests
 * that need it are skipped where it is not installed) and are refused with 415 where there is not.
 */
class AudioDecoderTest {

    private static final Optional<Path> FFMPEG = FfmpegDecoder.onPath();

    private static byte[] audio(String name) throws IOException {
        return Files.readAllBytes(TestModels.AUDIO.resolve(name));
    }

    private static AudioDecoder withFfmpeg(double maxSeconds) {
        Assumptions.assumeTrue(FFMPEG.isPresent(), "ffmpeg is not installed");
        return new AudioDecoder(maxSeconds, Optional.of(new FfmpegDecoder(FFMPEG.get(), Duration.ofSeconds(30))));
    }

    @Test
    void withoutFfmpegOtherContainersAre415() throws IOException {
        var error = assertThrows(
                UnsupportedMediaTypeException.class,
                () -> AudioDecoder.wavOnly(60).decode(audio("digits.flac"), "inputs[0]", 16000));
        assertTrue(error.getMessage().startsWith("inputs[0]: not a WAV file"), error.getMessage());
        assertTrue(error.getMessage().contains("ffmpeg"), error.getMessage());
    }

    @Test
    void wavIsDecodedInJavaAndResampledToTheModelsRate() throws IOException {
        Audio audio = AudioDecoder.wavOnly(60).decode(audio("digits-8k.wav"), "body", 16000);
        assertEquals(16000, audio.sampleRate());
        int frames = (int) (Files.size(TestModels.AUDIO.resolve("digits-8k.wav")) - 44) / 2;
        assertEquals(2 * frames, audio.samples().length);
    }

    @Test
    void ffmpegDecodesFlacToTheSamplesTheWavHolds() throws IOException {
        // digits.flac is digits-16bit.wav losslessly compressed: the same samples must come back.
        float[] flac =
                withFfmpeg(60).decode(audio("digits.flac"), "body", 16000).samples();
        float[] wav =
                new WavDecoder(60).decode(audio("digits-16bit.wav"), "body").samples();
        assertEquals(wav.length, flac.length);
        for (int i = 0; i < wav.length; i++) {
            assertEquals(wav[i], flac[i], 0f, "sample " + i);
        }
    }

    /**
     * The Java resampler (torchaudio's algorithm) against an independent one, ffmpeg's swresample,
     * on real speech taken from 44.1 and 8 kHz to 16 kHz: measured -40.8 and -30.3 dB apart. The
     * difference lies near the lower Nyquist frequency, where torchaudio's short Hann-windowed
     * filter already rolls off (ResamplerTest: 3 kHz of 4 kHz at -36 dB) and swresample's longer
     * one does not; upsampling 8 kHz speech, which has energy up to 4 kHz, shows it most.
     */
    @Test
    void javaResamplerAgreesWithFfmpegsOnSpeech() throws IOException {
        AudioDecoder decoder = withFfmpeg(60);
        var floors = java.util.Map.of("digits-44k.wav", -38.0, "digits-8k.wav", -28.0);
        for (String file : floors.keySet()) {
            float[] ours = decoder.decode(audio(file), "body", 16000).samples();
            float[] theirs = decoder.ffmpeg()
                    .orElseThrow()
                    .decode(audio(file), "body", 16000, 60)
                    .samples();
            double error = 0;
            double signal = 0;
            for (int i = 800; i < Math.min(ours.length, theirs.length) - 800; i++) {
                error += Math.pow(ours[i] - theirs[i], 2);
                signal += Math.pow(theirs[i], 2);
            }
            double db = 10 * Math.log10(error / signal);
            System.out.printf("%s: Java resampler vs ffmpeg %.1f dB%n", file, db);
            assertTrue(db < floors.get(file), file + ": " + db + " dB");
        }
    }

    @Test
    void ffmpegOutputIsCutAtTheDurationLimit() throws IOException {
        var error = assertThrows(
                PayloadTooLargeException.class, () -> withFfmpeg(1.0).decode(audio("digits.mp3"), "body", 16000));
        assertTrue(error.getMessage().contains("limit of 1.0 s"), error.getMessage());
    }

    @Test
    void garbageIsA400NamingTheField() {
        var error = assertThrows(
                InvalidInputException.class,
                () -> withFfmpeg(60)
                        .decode("ID3 this is not audio".getBytes(StandardCharsets.UTF_8), "inputs[1]", 16000));
        assertEquals("inputs[1]", error.field());
    }

    /** A playlist upload must not make ffmpeg read the server's files (only the pipe protocol is allowed). */
    @Test
    void aPlaylistCannotReadLocalFiles(@TempDir Path dir) throws IOException {
        Path secret = dir.resolve("secret.wav");
        Files.copy(TestModels.AUDIO.resolve("digits-16bit.wav"), secret);
        for (String entry : new String[] {"file://" + secret, secret.toString()}) {
            String playlist = "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\n" + entry + "\n#EXT-X-ENDLIST\n";
            var error = assertThrows(
                    InvalidInputException.class,
                    () -> withFfmpeg(60).decode(playlist.getBytes(StandardCharsets.UTF_8), "body", 16000));
            assertTrue(
                    !error.getMessage().contains(dir.toString()),
                    "the message names a server path: " + error.getMessage());
        }
    }

    @Test
    void aWavCodecJavaLacksGoesToFfmpeg(@TempDir Path dir) throws Exception {
        Path adpcm = dir.resolve("adpcm.wav");
        AudioDecoder decoder = withFfmpeg(60);
        Process encode = new ProcessBuilder(
                        FFMPEG.get().toString(),
                        "-loglevel",
                        "error",
                        "-i",
                        TestModels.AUDIO.resolve("digits-16bit.wav").toString(),
                        "-c:a",
                        "adpcm_ms",
                        adpcm.toString())
                .inheritIO()
                .start();
        assertEquals(0, encode.waitFor());
        byte[] bytes = Files.readAllBytes(adpcm);
        assertThrows(UnsupportedMediaTypeException.class, () -> new WavDecoder(60).decode(bytes, "body"));
        Audio audio = decoder.decode(bytes, "body", 16000);
        float[] wav =
                new WavDecoder(60).decode(audio("digits-16bit.wav"), "body").samples();
        // MS ADPCM codes whole blocks of 2036 samples: the last one is padded.
        assertTrue(
                audio.samples().length >= wav.length && audio.samples().length < wav.length + 2036,
                audio.samples().length + " vs " + wav.length);
    }
}
