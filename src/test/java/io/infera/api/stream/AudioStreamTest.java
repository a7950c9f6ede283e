package io.infera.api.stream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.processing.audio.AudioDecoder;
import io.infera.testing.TestModels;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Live recognition over WebSocket on the tiny CTC model: speech between silences gives partial
 * texts and one final whose text is the predict route's answer for that stretch of audio; the
 * query is checked before the upgrade; every limit closes the stream with its code and a reason
 * (the test profile serves 2 streams per model and closes after 2 s without audio).
 */
@QuarkusTest
class AudioStreamTest {

    private static final String MODEL = "tiny-wav2vec2-ctc";
    private static final int RATE = 16000;

    @org.junit.jupiter.api.BeforeEach
    void ready() {
        io.infera.testing.TestServer.awaitReady();
    }

    /** What a stream's client saw: the server's text messages, then how it closed. */
    static final class Seen implements WebSocket.Listener {
        final LinkedBlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<String> closed = new CompletableFuture<>(); // "code reason"
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    messages.add(TestModels.JSON.readTree(text.toString()));
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
                text.setLength(0);
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int code, String reason) {
            closed.complete(code + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            closed.complete("error " + error);
        }

        /** The next message of this type (any type for an empty one). */
        JsonNode next(String type) throws InterruptedException {
            while (true) {
                JsonNode message = messages.poll(30, TimeUnit.SECONDS);
                if (message == null) {
                    throw new AssertionError("no " + type + " message within 30 s");
                }
                if (type.isEmpty() || message.path("type").asText().equals(type)) {
                    return message;
                }
            }
        }

        String closing() throws Exception {
            return closed.get(30, TimeUnit.SECONDS);
        }
    }

    private static WebSocket open(String query, Seen seen) {
        URI uri = URI.create("ws://localhost:" + RestAssured.port + AudioStreams.PATH + "?" + query);
        return HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .buildAsync(uri, seen)
                .join();
    }

    private static byte[] pcm16(float[] samples) {
        ByteBuffer out = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float s : samples) {
            out.putShort((short) Math.max(-32768, Math.min(32767, Math.round(s * 32768))));
        }
        return out.array();
    }

    /** Half a second of silence, the spoken digits, a second of silence. */
    private static float[] speechBetweenSilences() throws Exception {
        float[] speech = AudioDecoder.wavOnly(60)
                .decode(Files.readAllBytes(TestModels.AUDIO.resolve("digits-16bit.wav")), "file", RATE)
                .samples();
        float[] out = new float[RATE / 2 + speech.length + RATE];
        System.arraycopy(speech, 0, out, RATE / 2, speech.length);
        return out;
    }

    private static void send(WebSocket socket, byte[] audio, int frameBytes) {
        send(socket, audio, frameBytes, 0);
    }

    /** Sends the audio in frames, {@code pauseMillis} apart (as a live source sends them). */
    private static void send(WebSocket socket, byte[] audio, int frameBytes, long pauseMillis) {
        for (int at = 0; at < audio.length; at += frameBytes) {
            byte[] frame = Arrays.copyOfRange(audio, at, Math.min(audio.length, at + frameBytes));
            socket.sendBinary(ByteBuffer.wrap(frame), true).join();
            if (pauseMillis > 0) {
                try {
                    Thread.sleep(pauseMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }

    @Test
    void speechBetweenSilencesGivesPartialsAndAFinalEqualToThePredictRoute() throws Exception {
        Seen seen = new Seen();
        WebSocket socket = open("model=" + MODEL + "&sample_rate=16000&encoding=pcm16", seen);
        JsonNode ready = seen.next("ready");
        assertEquals(MODEL, ready.path("model").asText());
        float[] audio = speechBetweenSilences();
        byte[] bytes = pcm16(audio);
        send(socket, bytes, 8000, 250); // quarter seconds, in real time
        JsonNode partial = seen.next("partial");
        assertTrue(partial.has("text") && partial.has("stable"), partial.toString());
        JsonNode fin = seen.next("final");
        double start = fin.path("start").asDouble();
        double end = fin.path("end").asDouble();
        assertTrue(start > 0.1 && start <= 0.5 && end > start, fin.toString());
        // the same stretch of the audio, as the client sent it, through the predict route
        float[] sent = new float[bytes.length / 2];
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < sent.length; i++) {
            sent[i] = in.getShort() / 32768f;
        }
        assertThePredictRouteAgrees(sent, fin);
        socket.sendText("{\"type\": \"stop\"}", true).join();
        JsonNode done = seen.next("done");
        assertEquals(audio.length / (double) RATE, done.path("seconds").asDouble(), 1e-9);
        assertEquals("1000 stopped", seen.closing());
    }

    /** The predict route answers the final's stretch of the audio (as the client sent it) with the final's text. */
    private static void assertThePredictRouteAgrees(float[] audio, JsonNode fin) throws java.io.IOException {
        float[] stretch =
                Arrays.copyOfRange(audio, (int) Math.round(fin.path("start").asDouble() * RATE), (int)
                        Math.round(fin.path("end").asDouble() * RATE));
        given().contentType("audio/wav")
                .body(wav(stretch))
                .post("/v1/models/" + MODEL + "/predict")
                .then()
                .statusCode(200)
                .body("text", equalTo(fin.path("text").asText()));
    }

    private static byte[] wav(float[] samples) throws java.io.IOException {
        byte[] data = pcm16(samples);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer header = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        header.put("RIFF".getBytes()).putInt(36 + data.length).put("WAVE".getBytes());
        header.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1);
        header.putInt(RATE).putInt(RATE * 2).putShort((short) 2).putShort((short) 16);
        header.put("data".getBytes()).putInt(data.length);
        out.write(header.array());
        out.write(data);
        return out.toByteArray();
    }

    /**
     * A CTC model's partials are frame-synchronous: once the utterance outgrows the look-back (1 s
     * in the test profile), a partial decodes from after the utterance's start, and its committed
     * text only grows.
     */
    @Test
    void aCtcModelsPartialsDecodeTheirLookBackAndTheAudioSinceNotTheUtterance() throws Exception {
        Seen seen = new Seen();
        WebSocket socket = open("model=" + MODEL + "&sample_rate=16000&encoding=pcm16", seen);
        seen.next("ready");
        float[] speech = speechBetweenSilences();
        float[] spoken = Arrays.copyOfRange(speech, RATE / 2, speech.length - RATE);
        float[] audio = new float[RATE / 2 + 3 * spoken.length + RATE];
        for (int i = 0; i < 3; i++) {
            System.arraycopy(spoken, 0, audio, RATE / 2 + i * spoken.length, spoken.length);
        }
        send(socket, pcm16(audio), 8000, 250);
        List<JsonNode> partials = new ArrayList<>();
        JsonNode message;
        while (!(message = seen.next("")).path("type").asText().equals("final")) {
            if (message.path("type").asText().equals("partial")) {
                partials.add(message);
            }
        }
        assertTrue(partials.size() >= 3, "partials: " + partials);
        String stable = "";
        boolean movedOn = false;
        for (JsonNode partial : partials) {
            String now = partial.path("stable").asText();
            assertTrue(now.startsWith(stable), "committed text only grows: " + partials);
            assertTrue(partial.path("text").asText().startsWith(now), partial.toString());
            stable = now;
            double from = partial.at("/window/0").asDouble();
            double to = partial.at("/window/1").asDouble();
            assertTrue(from >= partial.path("start").asDouble() && to > from, partial.toString());
            movedOn |= from > partial.path("start").asDouble() + 0.5;
        }
        assertTrue(movedOn, "a partial decoded after the utterance's start: " + partials);
        socket.sendText("{\"type\": \"stop\"}", true).join();
        seen.next("done");
    }

    /** What a stream of these pieces answered: its finals, then done. */
    private static List<JsonNode> finalsOf(String encoding, byte[] bytes, int pieceBytes) throws Exception {
        Seen seen = new Seen();
        WebSocket socket = open("model=" + MODEL + "&encoding=" + encoding, seen);
        seen.next("ready");
        send(socket, bytes, pieceBytes, 100);
        socket.sendText("{\"type\": \"stop\"}", true).join();
        List<JsonNode> answered = new ArrayList<>();
        JsonNode message;
        while (!(message = seen.next("")).path("type").asText().equals("done")) {
            if (message.path("type").asText().equals("final")) {
                answered.add(message);
            }
        }
        answered.add(message);
        assertEquals("1000 stopped", seen.closing());
        return answered;
    }

    /**
     * A WAV file and an Ogg/Opus file sent in pieces are decoded live by ffmpeg: the WAV's final is
     * the predict route's answer for its stretch (lossless), the Opus one transcribes the same
     * length of audio; bytes that are no container close the stream with 1008 and the reason.
     */
    @Test
    void containerPiecesAreDecodedLiveByFfmpeg(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                io.infera.processing.audio.FfmpegDecoder.onPath().isPresent(), "needs ffmpeg");
        float[] audio = speechBetweenSilences();
        byte[] wav = wav(audio);
        List<JsonNode> fromWav = finalsOf("wav", wav, 4000);
        JsonNode fin = fromWav.getFirst();
        assertThePredictRouteAgrees(audio, fin);
        assertEquals(
                audio.length / (double) RATE, fromWav.getLast().path("seconds").asDouble(), 1e-9);

        Files.write(dir.resolve("speech.wav"), wav);
        Process encode = new ProcessBuilder(
                        io.infera.processing.audio.FfmpegDecoder.onPath()
                                .orElseThrow()
                                .toString(),
                        "-loglevel",
                        "error",
                        "-i",
                        dir.resolve("speech.wav").toString(),
                        "-c:a",
                        "libopus",
                        "-b:a",
                        "32k",
                        dir.resolve("speech.ogg").toString())
                .redirectErrorStream(true)
                .start();
        assertEquals(0, encode.waitFor(), new String(encode.getInputStream().readAllBytes()));
        List<JsonNode> fromOpus = finalsOf("ogg", Files.readAllBytes(dir.resolve("speech.ogg")), 1000);
        assertTrue(
                fromOpus.size() >= 2
                        && !fromOpus.getFirst().path("text").asText().isEmpty(),
                fromOpus.toString());
        assertEquals(
                audio.length / (double) RATE, fromOpus.getLast().path("seconds").asDouble(), 0.05);

        Seen seen = new Seen();
        WebSocket socket = open("model=" + MODEL + "&encoding=ogg", seen);
        seen.next("ready");
        byte[] noise = new byte[4000];
        new java.util.Random(7).nextBytes(noise);
        send(socket, noise, 4000);
        socket.sendText("{\"type\": \"stop\"}", true);
        String closing = seen.closing();
        assertTrue(closing.startsWith("1008 the audio could not be decoded"), closing);
    }

    /** A stop right behind the audio: every final still comes, in order, before done. */
    @Test
    void aStopRightAfterTheAudioWaitsForTheFinals() throws Exception {
        Seen seen = new Seen();
        WebSocket socket = open("model=" + MODEL, seen);
        seen.next("ready");
        float[] one = speechBetweenSilences();
        float[] two = new float[one.length * 2];
        System.arraycopy(one, 0, two, 0, one.length);
        System.arraycopy(one, 0, two, one.length, one.length);
        send(socket, pcm16(two), 8000);
        socket.sendText("{\"type\": \"stop\"}", true).join();
        List<JsonNode> finals = new ArrayList<>();
        while (true) {
            JsonNode message = seen.messages.poll(30, TimeUnit.SECONDS);
            assertTrue(message != null, "a message within 30 s");
            if (message.path("type").asText().equals("final")) {
                finals.add(message);
            } else if (message.path("type").asText().equals("done")) {
                break;
            }
        }
        assertEquals(2, finals.size(), "both utterances: " + finals);
        assertTrue(
                finals.get(0).path("end").asDouble()
                        < finals.get(1).path("start").asDouble(),
                "in order: " + finals);
        assertTrue(!finals.get(1).path("text").asText().isEmpty(), "the second utterance was heard: " + finals);
        assertEquals("1000 stopped", seen.closing());
    }

    @Test
    void theQueryIsCheckedBeforeTheUpgradeNamingTheField() {
        given().get(AudioStreams.PATH).then().statusCode(400).body("field", equalTo("model"));
        given().get(AudioStreams.PATH + "?model=no-such-model").then().statusCode(404);
        given().get(AudioStreams.PATH + "?model=tiny-bert-sentiment")
                .then()
                .statusCode(400)
                .body("field", equalTo("model"));
        given().get(AudioStreams.PATH + "?model=" + MODEL + "&sample_rate=7")
                .then()
                .statusCode(400)
                .body("field", equalTo("sample_rate"));
        given().get(AudioStreams.PATH + "?model=" + MODEL + "&encoding=mp3")
                .then()
                .statusCode(400)
                .body("field", equalTo("encoding"));
        given().get(AudioStreams.PATH + "?model=" + MODEL + "&colour=red")
                .then()
                .statusCode(400)
                .body("field", equalTo("colour"));
        given().get(AudioStreams.PATH + "?model=" + MODEL)
                .then()
                .statusCode(400)
                .body("field", equalTo("Upgrade"));
    }

    @Test
    void aModelServesItsLimitOfStreamsAndClosesTheNextWithTryLater() throws Exception {
        List<WebSocket> held = new ArrayList<>();
        List<Seen> holders = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Seen seen = new Seen();
            held.add(open("model=" + MODEL, seen));
            seen.next("ready");
            holders.add(seen);
        }
        Seen refused = new Seen();
        open("model=" + MODEL, refused);
        String closing = refused.closing();
        assertTrue(closing.startsWith("1013 ") && closing.contains("per-model"), closing);
        for (WebSocket socket : held) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
        }
        for (Seen seen : holders) {
            seen.closing();
        }
    }

    @Test
    void everyLimitClosesTheStreamWithItsCodeAndReason() throws Exception {
        Seen odd = new Seen();
        send(open("model=" + MODEL, odd), new byte[] {1, 2, 3}, 3);
        assertTrue(odd.closing().startsWith("1008 ") && odd.closing().contains("whole samples"), odd.closing());

        Seen fast = new Seen();
        WebSocket rapid = open("model=" + MODEL, fast);
        fast.next("ready");
        for (int i = 0; i < 150 && !fast.closed.isDone(); i++) {
            rapid.sendBinary(ByteBuffer.wrap(new byte[64]), true).join();
        }
        assertTrue(
                fast.closing().startsWith("1008 ") && fast.closing().contains("frames in one second"), fast.closing());

        Seen big = new Seen();
        WebSocket large = open("model=" + MODEL, big);
        big.next("ready");
        large.sendBinary(ByteBuffer.wrap(new byte[40_000]), true);
        assertTrue(big.closing().startsWith("1009"), big.closing());

        Seen nan = new Seen();
        WebSocket floats = open("model=" + MODEL + "&encoding=f32", nan);
        nan.next("ready");
        floats.sendBinary(
                ByteBuffer.allocate(8)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .putFloat(Float.NaN)
                        .putFloat(0)
                        .flip(),
                true);
        assertTrue(nan.closing().startsWith("1008 ") && nan.closing().contains("finite"), nan.closing());

        Seen talk = new Seen();
        WebSocket chat = open("model=" + MODEL, talk);
        talk.next("ready");
        chat.sendText("hello", true);
        assertTrue(talk.closing().startsWith("1008 ") && talk.closing().contains("stop"), talk.closing());

        Seen idle = new Seen();
        open("model=" + MODEL, idle);
        idle.next("ready");
        long before = System.nanoTime();
        String closing = idle.closing();
        assertTrue(closing.startsWith("1001 ") && closing.contains("no audio"), closing);
        assertTrue(System.nanoTime() - before >= Duration.ofMillis(1500).toNanos(), "closed after the idle timeout");
    }
}
