package io.infera.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * Speech on one machine: the bundled speech-digits CTC model and a Whisper-tiny-sized random model
 * (fixtures/make_whisper_models.py --tiny-sized). Clips: one 5 s clip at a time through the predict
 * route, its real-time factor (wall time over audio time) and server CPU per second of audio.
 * Streams: K live streams at once, each sending the 45 s recording with pauses in real time
 * (quarter-second frames) over /v1/audio/stream; the time from the frame that completes the 0.6 s
 * pause ending an utterance to its final text, and server CPU per second of audio. A model holds
 * K streams while that latency's p95 stays under a second.
 */
final class SpeechBench {

    private static final Path MODELS = Path.of("loadtest/speech-models");
    private static final Path CLIP = Path.of("src/test/resources/audio/speech-5s.wav");
    private static final Path RECORDING = Path.of("src/test/resources/audio/pauses-45s.wav");
    private static final double PAUSE = 0.6;
    /** What a final keeps of the pause after its speech. */
    private static final double KEPT = 0.2;

    private static final int RATE = 16000;
    private static final int CLIPS = 8;

    private final double seconds;
    private final Consumer<String> out;
    private final HttpClient http = HttpClient.newHttpClient();

    SpeechBench(double seconds, Consumer<String> out) {
        this.seconds = seconds;
        this.out = out;
    }

    /** One model's setting in the bench: its name, what a clip request asks, how many streams to try. */
    private record Subject(String model, String label, String parameters, int[] streams) {}

    List<String> run() throws Exception {
        VersionsBench.copy(Path.of("target/models/speech-digits"), MODELS.resolve("speech-digits"));
        if (!Files.isDirectory(MODELS.resolve("whisper-tiny-sized"))) {
            throw new IllegalStateException(
                    "loadtest/speech-models/whisper-tiny-sized is missing: PYTHONPATH=fixtures/.legacy "
                            + "fixtures/.venv/bin/python fixtures/make_whisper_models.py --tiny-sized loadtest/speech-models/whisper-tiny-sized");
        }
        // a stream decodes with the model's defaults: the tiny-sized model answers greedily, 32 tokens at most
        Files.writeString(
                MODELS.resolve("whisper-tiny-sized/serving.yaml"),
                "description: \"Whisper-tiny-sized, random weights (speech bench)\"\n"
                        + "parameters: {max_new_tokens: 32, num_beams: 1, language: en}\n");
        List<Subject> subjects = List.of(
                new Subject("speech-digits", "speech-digits (CTC)", "{}", new int[] {1, 4, 16, 32}),
                new Subject(
                        "whisper-tiny-sized", "Whisper-tiny-sized, greedy, 32 tokens", "{}", new int[] {1, 2, 4, 8}),
                new Subject(
                        "whisper-tiny-sized",
                        "Whisper-tiny-sized, 5 beams, 32 tokens",
                        "{\"num_beams\": 5}",
                        new int[0]));
        List<String> summary = new ArrayList<>();
        try (Servers.Server infera = Servers.infera(
                MODELS, 18097, Path.of("loadtest/results/infera-speech.log"), "infera.audio.stream.per-model=64")) {
            out.accept("");
            out.accept(
                    "### Clips: one 5 s clip at a time through the predict route (" + CLIPS + " after 2 to warm up)");
            out.accept("");
            out.accept("| model | real-time factor (wall / audio) | server CPU s per audio s |");
            out.accept("|---|---:|---:|");
            for (Subject s : subjects) {
                double[] clip = clips(infera, s);
                out.accept(String.format(Locale.ROOT, "| %s | %.3f | %.3f |", s.label(), clip[0], clip[1]));
                summary.add(String.format(Locale.ROOT, "| %s: clip real-time factor | %.3f |", s.label(), clip[0]));
            }
            out.accept("");
            out.accept("### Live streams: K at once, each the 45 s recording with pauses in real time, "
                    + Math.round(seconds) + " s per round");
            out.accept("");
            out.accept("| model | streams | finals | end-to-final p50 / p95 ms | server CPU s per audio s |");
            out.accept("|---|---:|---:|---|---:|");
            for (Subject s : subjects) {
                int held = 0;
                for (int k : s.streams()) {
                    double[] r = streams(infera, s.model(), k);
                    out.accept(String.format(
                            Locale.ROOT,
                            "| %s | %d | %.0f | %.0f / %.0f | %.3f |",
                            s.label(),
                            k,
                            r[0],
                            r[1],
                            r[2],
                            r[3]));
                    if (r[0] > 0 && r[2] < 1000) {
                        held = k;
                    }
                }
                if (s.streams().length > 0) {
                    summary.add(String.format(
                            Locale.ROOT,
                            "| %s: streams held (end-to-final p95 under 1 s) | %d of %s tried |",
                            s.label(),
                            held,
                            Arrays.toString(s.streams())));
                }
            }
        }
        return summary;
    }

    /** Real-time factor and server CPU seconds per audio second of one clip at a time. */
    private double[] clips(Servers.Server infera, Subject s) throws Exception {
        byte[] wav = Files.readAllBytes(CLIP);
        double audio = (wav.length - 44) / 2.0 / RATE;
        String body = "{\"inputs\": \"" + Base64.getEncoder().encodeToString(wav) + "\", \"parameters\": "
                + s.parameters() + "}";
        HttpRequest request = HttpRequest.newBuilder(infera.uri("/v1/models/" + s.model() + "/predict"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        for (int i = 0; i < 2; i++) {
            check(http.send(request, HttpResponse.BodyHandlers.ofString()));
        }
        long cpu = ProcessCpu.nanos(infera.pid());
        long start = System.nanoTime();
        for (int i = 0; i < CLIPS; i++) {
            check(http.send(request, HttpResponse.BodyHandlers.ofString()));
        }
        double wall = (System.nanoTime() - start) / 1e9;
        double used = (ProcessCpu.nanos(infera.pid()) - cpu) / 1e9;
        return new double[] {wall / (CLIPS * audio), used / (CLIPS * audio)};
    }

    private static void check(HttpResponse<String> answer) {
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("predict: " + answer.statusCode() + " " + answer.body());
        }
    }

    /** Finals received, end-to-final p50 and p95 in ms, server CPU s per audio s, for k streams at once. */
    private double[] streams(Servers.Server infera, String model, int k) throws Exception {
        float[] recording = pcm(Files.readAllBytes(RECORDING));
        ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
        List<Thread> senders = new ArrayList<>();
        long cpu = ProcessCpu.nanos(infera.pid());
        long begin = System.nanoTime();
        for (int i = 0; i < k; i++) {
            int offset = (int) ((long) i * recording.length / Math.max(1, k)) / 4000 * 4000; // a quarter second apart
            Thread sender = Thread.ofPlatform().start(() -> stream(infera, model, recording, offset, latencies));
            senders.add(sender);
        }
        for (Thread sender : senders) {
            sender.join();
        }
        double used = (ProcessCpu.nanos(infera.pid()) - cpu) / 1e9;
        double audio = k * Math.floor(seconds / 0.25) * 0.25;
        double[] sorted =
                latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double p50 = sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2];
        double p95 =
                sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.95))];
        if ((System.nanoTime() - begin) / 1e9 > seconds * 3) {
            throw new IllegalStateException("the streams took far longer than real time");
        }
        return new double[] {sorted.length, p50, p95, used / audio};
    }

    /** One live stream for the round: quarter-second frames in real time, then stop; finals' latencies noted. */
    private void stream(
            Servers.Server infera,
            String model,
            float[] recording,
            int offset,
            ConcurrentLinkedQueue<Double> latencies) {
        long[] started = new long[1];
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    String message = text.toString();
                    text.setLength(0);
                    if (message.contains("\"type\":\"final\"")) {
                        double end = Double.parseDouble(message.replaceAll(".*\"end\":([0-9.Ee-]+).*", "$1"));
                        // the final's end keeps 0.2 s of the pause; the pause is complete PAUSE after
                        // the speech, with the quarter-second frame that completes it
                        double paused = Math.ceil((end - KEPT + PAUSE) / 0.25) * 0.25;
                        double due = started[0] + paused * 1e9;
                        latencies.add((System.nanoTime() - due) / 1e6);
                    }
                }
                socket.request(1);
                return null;
            }
        };
        URI uri = URI.create("ws://127.0.0.1:" + infera.port() + "/v1/audio/stream?model=" + model);
        WebSocket socket = http.newWebSocketBuilder().buildAsync(uri, listener).join();
        started[0] = System.nanoTime();
        int frame = RATE / 4;
        int frames = (int) Math.floor(seconds / 0.25);
        for (int i = 0; i < frames; i++) {
            ByteBuffer bytes = ByteBuffer.allocate(frame * 2).order(ByteOrder.LITTLE_ENDIAN);
            for (int j = 0; j < frame; j++) {
                float sample = recording[(offset + i * frame + j) % recording.length];
                bytes.putShort((short) Math.round(sample * 32767));
            }
            // a live source has a frame once its quarter second has passed
            long due = started[0] + (long) ((i + 1) * 0.25e9);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            socket.sendBinary(bytes.flip(), true).join();
        }
        socket.sendText("{\"type\": \"stop\"}", true).join();
        try {
            Thread.sleep(1500); // the last final and done
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        socket.abort();
    }

    private static float[] pcm(byte[] wav) {
        ByteBuffer in = ByteBuffer.wrap(wav, 44, wav.length - 44).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[(wav.length - 44) / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = in.getShort() / 32768f;
        }
        return out;
    }
}
