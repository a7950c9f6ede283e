package io.infera.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.processing.audio.AudioDecoder;
import io.infera.testing.ServerProcess;
import io.infera.testing.StreamClient;
import io.infera.testing.TestModels;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live streams on a speech recogniser with serving.yaml {@code vad:}: the bundled Silero detector,
 * not the level, ends utterances. Spoken digits, two seconds of steady noise louder than the
 * silence level, the digits again: the level alone hears one utterance (the noise never falls
 * silent); with the detector the noise is a pause, and the stream answers the digits twice (the
 * noise the level takes for the start of another utterance ends as an empty final).
 */
class StreamVoiceActivityIT {

    private static final int RATE = 16000;

    @TempDir
    static Path models;

    private static ServerProcess server;

    @BeforeAll
    static void start() throws Exception {
        copy(TestModels.BUNDLED.resolve("silero-vad"), "silero-vad", "");
        copy(TestModels.BUNDLED.resolve("speech-digits"), "speech-digits", "");
        copy(TestModels.BUNDLED.resolve("speech-digits"), "speech-digits-vad", "vad: {model: silero-vad}\n");
        server = ServerProcess.start(models);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void copy(Path from, String name, String servingLine) throws Exception {
        TestModels.copyWithServing(from, models.resolve(name), servingLine);
    }

    /** Digits, steady noise, digits, a second of silence, as PCM16. */
    private static byte[] speechNoiseSpeech() throws Exception {
        float[] digits = AudioDecoder.wavOnly(60)
                .decode(Files.readAllBytes(TestModels.AUDIO.resolve("digits-16bit.wav")), "file", RATE)
                .samples();
        int noise = 2 * RATE;
        float[] audio = new float[RATE / 2 + digits.length + noise + digits.length + RATE];
        System.arraycopy(digits, 0, audio, RATE / 2, digits.length);
        Random random = new Random(7);
        for (int i = 0; i < noise; i++) {
            audio[RATE / 2 + digits.length + i] = (float) (random.nextGaussian() * 0.03); // -30 dBFS: over the level
        }
        System.arraycopy(digits, 0, audio, RATE / 2 + digits.length + noise, digits.length);
        ByteBuffer out = ByteBuffer.allocate(audio.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float s : audio) {
            out.putShort((short) Math.max(-32768, Math.min(32767, Math.round(s * 32768))));
        }
        return out.array();
    }

    /** The finals a stream of this audio answers, sent in quarter seconds in real time. */
    private static List<JsonNode> finals(String model, byte[] audio) throws Exception {
        StreamClient stream = StreamClient.open(server.port(), "model=" + model + "&encoding=pcm16");
        for (int at = 0; at < audio.length; at += RATE / 2) {
            stream.send(List.of(java.util.Arrays.copyOfRange(audio, at, Math.min(audio.length, at + RATE / 2))));
            Thread.sleep(250);
        }
        stream.stop();
        List<JsonNode> finals = new ArrayList<>();
        JsonNode message;
        while (!(message = TestModels.JSON.readTree(stream.nextText()))
                .path("type")
                .asText()
                .equals("done")) {
            if (message.path("type").asText().equals("final")) {
                finals.add(message);
            }
        }
        assertEquals("1000 stopped", stream.closing());
        return finals;
    }

    @Test
    void theDetectorNotTheLevelEndsUtterances() throws Exception {
        byte[] audio = speechNoiseSpeech();
        List<JsonNode> byLevel = finals("speech-digits", audio);
        assertEquals(1, byLevel.size(), "the noise is over the level: one utterance " + byLevel);
        List<JsonNode> byDetector = finals("speech-digits-vad", audio).stream()
                .filter(f -> !f.path("text").asText().isEmpty())
                .toList();
        assertEquals(2, byDetector.size(), "the detector hears the noise as a pause: " + byDetector);
        JsonNode first = byDetector.getFirst();
        JsonNode second = byDetector.getLast();
        double digits = 1.449;
        assertTrue(first.path("end").asDouble() < 0.5 + digits + 2.0, first.toString());
        assertTrue(second.path("start").asDouble() >= first.path("end").asDouble(), byDetector.toString());
        for (JsonNode heard : byDetector) {
            assertTrue(heard.path("text").asText().endsWith("three nine"), "the spoken digits: " + byDetector);
        }
    }
}
