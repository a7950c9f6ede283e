package io.infera.api.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infera.config.InferaConfig;
import io.infera.metrics.InferaMetrics;
import io.infera.processing.audio.Audio;
import io.infera.processing.audio.FfmpegDecoder;
import io.infera.processing.audio.FfmpegStream;
import io.infera.tasks.Pipeline;
import io.infera.tasks.TaskInput;
import io.infera.tasks.speechrecognition.SpeechRecognitionTask;
import io.infera.tasks.speechrecognition.UtteranceCutting;
import io.infera.tasks.speechrecognition.WhisperRecognition;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * One live stream: audio frames in (PCM16 or float32, little-endian, mono, at the client's rate;
 * or the pieces of a container, WAV or Ogg/WebM with Opus, decoded live by ffmpeg), texts out.
 * While someone speaks, every {@code partial-seconds} of new audio brings a {@code partial} text:
 * a CTC model (with {@code frame-synchronous}, the default) decodes only the look-back before its commit
 * point and the audio since ({@link IncrementalTranscript}; {@code stable} is the committed text);
 * otherwise the utterance so far is re-decoded ({@code stable} is what the last two partials agree
 * on).
 * Each partial names the stretch it decoded ({@code window}, seconds in the stream). Utterances
 * start where the level rises; they end at a pause the level finds, or, for a model with a voice
 * activity detector (serving.yaml {@code vad:}), where the detector hears the speech end, or at
 * the utterance's length limit: then the utterance is decoded once whole and answered as {@code
 * final} with its start and end in the stream. Every decode is an item of the model's pipeline, so
 * streams share the model's batcher with requests. A partial still decoding when the next is due
 * is skipped; a partial that comes back after its utterance's final is dropped. The client ends
 * the stream with {@code {"type": "stop"}}.
 */
final class StreamSession {

    private static final Logger LOG = Logger.getLogger(StreamSession.class);

    /** Audio before the pause the voice activity detector reads, so that its state has settled when the pause starts. */
    private static final double DETECTOR_CONTEXT_SECONDS = 1.0;

    /**
     * The client's audio: its sampling rate and how its bytes are samples.
     *
     * @param rate       the samples' rate (for a container, the rate ffmpeg decodes to)
     * @param containers the decoder of container bytes, null unless the encoding is {@link Encoding#CONTAINER}
     */
    record Format(int rate, Encoding encoding, FfmpegDecoder containers) {}

    /** How the client's bytes are samples. */
    enum Encoding {
        PCM16(2),
        F32(4),
        /** A container (WAV, Ogg or WebM with Opus ...) sent in pieces, decoded live by ffmpeg. */
        CONTAINER(1);

        final int bytes;

        Encoding(int bytes) {
            this.bytes = bytes;
        }
    }

    private final ServerWebSocket socket;
    private final String model;
    private final Supplier<Pipeline> pipeline;
    private final int rate;
    private final Encoding encoding;
    private final InferaConfig.Stream limits;
    private final InferaMetrics metrics;
    private final ObjectMapper json;
    private final UtteranceBuffer utterance;
    private final ArrayDeque<Long> recentFrames = new ArrayDeque<>();
    private final Runnable onClosed;
    /** The live decoder of a container's bytes, null for PCM16 and float32 frames. */
    private final FfmpegStream container;

    private long received;
    private long lastFrameNanos = System.nanoTime();
    private int utteranceId;
    private boolean partialRunning;
    private String previousPartial = "";
    /** The model's voice activity detector (serving.yaml vad:), which ends utterances; null where the level does. */
    private final UtteranceCutting detector;
    /** Whether the detector is looking at the utterance's end now. */
    private boolean speechCheckRunning;
    /** The current utterance's frame-synchronous partials (a CTC model), null for a Whisper-style model. */
    private IncrementalTranscript incremental;

    private boolean closing;
    private boolean overLength;
    /** The socket's event loop, which does every write (see {@link #onSocket}); captured at the start. */
    private io.vertx.core.Context context;
    /** Every final decoded so far, sent in order (see {@link #decodeFinal}). */
    private CompletableFuture<Void> finals = CompletableFuture.completedFuture(null);

    StreamSession(
            ServerWebSocket socket,
            String model,
            Supplier<Pipeline> pipeline,
            Format format,
            InferaConfig.Stream limits,
            InferaMetrics metrics,
            ObjectMapper json,
            Runnable onClosed) {
        this.socket = socket;
        this.model = model;
        this.pipeline = pipeline;
        this.rate = format.rate();
        this.encoding = format.encoding();
        this.limits = limits;
        this.metrics = metrics;
        this.json = json;
        this.onClosed = onClosed;
        this.utterance = new UtteranceBuffer(
                rate,
                limits.silenceLevel(),
                limits.pauseSeconds(),
                limits.maxUtteranceSeconds(),
                limits.partialSeconds());
        this.incremental = newIncremental();
        this.detector = pipeline.get() instanceof UtteranceCutting cut ? cut : null;
        this.container = encoding == Encoding.CONTAINER
                ? format.containers().stream(rate, new FfmpegStream.Listener() {
                    @Override
                    public void samples(float[] samples) {
                        accept(samples);
                    }

                    @Override
                    public void failed(String reason) {
                        undecodable(reason);
                    }
                })
                : null;
    }

    private IncrementalTranscript newIncremental() {
        return !limits.frameSynchronous() || WhisperRecognition.decodes(pipeline.get())
                ? null
                : new IncrementalTranscript(limits.lookBackSeconds(), limits.rightContextSeconds());
    }

    void start() {
        context = io.vertx.core.Vertx.currentContext();
        socket.binaryMessageHandler(this::frame);
        socket.textMessageHandler(this::message);
        socket.closeHandler(v -> {
            if (container != null) {
                container.close();
            }
            onClosed.run();
        });
        socket.exceptionHandler(e -> LOG.debugf("stream on model %s: %s", model, e.getMessage()));
        send(json.createObjectNode()
                .put("type", "ready")
                .put("model", model)
                .put("sample_rate", rate)
                .put("encoding", encoding.name().toLowerCase(Locale.ROOT)));
    }

    /** Called every second: closes a stream that has sent nothing for the idle timeout. */
    synchronized void checkIdle() {
        long idle = System.nanoTime() - lastFrameNanos;
        if (!closing && idle > limits.idleTimeout().toNanos()) {
            close(CloseCode.GOING_AWAY, "no audio for " + limits.idleTimeout().toSeconds() + " s", "idle");
        }
    }

    private synchronized void frame(Buffer data) {
        if (closing) {
            return;
        }
        long now = System.nanoTime();
        lastFrameNanos = now;
        if (data.length() > limits.maxFrameBytes()) {
            close(
                    CloseCode.TOO_BIG,
                    "a frame of " + data.length() + " bytes is over the limit of " + limits.maxFrameBytes()
                            + " (infera.audio.stream.max-frame-bytes)",
                    "limit");
            return;
        }
        recentFrames.addLast(now);
        while (now - recentFrames.peekFirst() > 1_000_000_000L) {
            recentFrames.removeFirst();
        }
        if (recentFrames.size() > limits.maxFramesPerSecond()) {
            close(
                    CloseCode.POLICY,
                    "more than " + limits.maxFramesPerSecond()
                            + " frames in one second (infera.audio.stream.max-frames-per-second)",
                    "limit");
            return;
        }
        if (container != null) {
            container.write(data.getBytes());
            return;
        }
        if (data.length() % encoding.bytes != 0) {
            close(
                    CloseCode.POLICY,
                    "a " + encoding.name().toLowerCase(Locale.ROOT) + " frame holds whole samples of " + encoding.bytes
                            + " bytes; this one has " + data.length() + " bytes",
                    "invalid");
            return;
        }
        float[] samples = samples(data);
        if (samples == null) {
            close(CloseCode.POLICY, "float32 samples must be finite", "invalid");
            return;
        }
        accept(samples);
    }

    /** Samples received (or decoded from the container): the utterance grows, partials and finals follow. */
    private synchronized void accept(float[] samples) {
        if (overLength || socket.isClosed()) {
            return;
        }
        received += samples.length;
        if (received > limits.maxSeconds() * rate) {
            overLength = true;
            closing = true; // the utterance so far is answered, then the stream closes
            decodeFinal()
                    .whenComplete((v, e) -> end(
                            CloseCode.POLICY,
                            "the stream is longer than " + limits.maxSeconds()
                                    + " s of audio (infera.audio.stream.max-seconds)",
                            "limit"));
            return;
        }
        switch (utterance.add(samples)) {
            case PARTIAL -> {
                partial();
                checkSpeech();
            }
            case FINAL -> {
                if (detector == null || utterance.full()) {
                    decodeFinal();
                } else {
                    checkSpeech(); // the detector, not the level, says whether the speaker paused
                }
            }
            case WAIT -> {}
        }
    }

    /** The container's bytes are not audio ffmpeg can decode. */
    private synchronized void undecodable(String reason) {
        if (!socket.isClosed()) {
            close(CloseCode.POLICY, "the audio could not be decoded: " + reason, "invalid");
        }
    }

    private float[] samples(Buffer data) {
        ByteBuffer bytes = ByteBuffer.wrap(data.getBytes()).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[data.length() / encoding.bytes];
        for (int i = 0; i < out.length; i++) {
            out[i] = encoding == Encoding.PCM16 ? bytes.getShort() / 32768f : bytes.getFloat();
            if (!Float.isFinite(out[i])) {
                return null;
            }
        }
        return out;
    }

    private synchronized void message(String text) {
        if (closing) {
            return;
        }
        lastFrameNanos = System.nanoTime();
        String type;
        try {
            type = json.readTree(text).path("type").asText("");
        } catch (java.io.IOException e) {
            type = "";
        }
        if (!type.equals("stop")) {
            close(CloseCode.POLICY, "text messages are {\"type\": \"stop\"}; audio comes as binary frames", "invalid");
            return;
        }
        closing = true;
        // a container's last bytes are decoded first: their samples belong to the last utterance
        CompletableFuture<Void> input =
                container == null ? CompletableFuture.completedFuture(null) : container.finish();
        input.thenCompose(v -> {
                    synchronized (this) {
                        return decodeFinal();
                    }
                })
                .whenComplete((v, e) -> {
                    synchronized (this) {
                        send(json.createObjectNode()
                                .put("type", "done")
                                .put("seconds", seconds(received / (double) rate)));
                    }
                    end(CloseCode.NORMAL, "stopped", "stop");
                });
    }

    /** A partial text of the utterance so far, unless one is still decoding. */
    private void partial() {
        if (partialRunning) {
            return;
        }
        partialRunning = true;
        int id = utteranceId;
        double start = utterance.startSeconds();
        IncrementalTranscript transcript = incremental;
        double from = transcript == null ? 0 : Math.round(transcript.windowStart() * rate) / (double) rate;
        double end = utterance.lengthSeconds();
        float[] audio = utterance.forPartialFrom(from);
        CompletableFuture<IncrementalTranscript.Partial> decoded = transcript == null
                ? decode(audio).thenApply(text -> new IncrementalTranscript.Partial(text, null))
                : decodeCharacters(audio).thenApply(characters -> {
                    synchronized (this) {
                        return transcript.take(characters, from, end);
                    }
                });
        decoded.whenComplete((partial, error) -> {
            synchronized (this) {
                partialRunning = false;
                if (error != null) {
                    LOG.warnf("a partial text of a stream on model %s failed: %s", model, rootMessage(error));
                    return;
                }
                if (id != utteranceId || closing) {
                    return;
                }
                ObjectNode message = json.createObjectNode()
                        .put("type", "partial")
                        .put("text", partial.text())
                        .put(
                                "stable",
                                partial.stable() != null ? partial.stable() : agreed(previousPartial, partial.text()))
                        .put("start", seconds(start));
                message.putArray("window").add(seconds(start + from)).add(seconds(start + end));
                send(message);
                previousPartial = partial.text();
            }
        });
    }

    /**
     * With a voice activity detector, whether the speaker paused: the detector reads the
     * utterance's last pause and {@value #DETECTOR_CONTEXT_SECONDS} s before it; where it hears no
     * speech ending within the pause, the utterance ends (its final decodes only what the detector
     * calls speech, so noise the level took for speech ends as an empty final).
     */
    private void checkSpeech() {
        double pause = limits.pauseSeconds();
        if (detector == null || speechCheckRunning || utterance.lengthSeconds() < pause + 0.3) {
            return;
        }
        speechCheckRunning = true;
        int id = utteranceId;
        float[] tail = utterance.tail(pause + DETECTOR_CONTEXT_SECONDS);
        double tailSeconds = tail.length / (double) rate;
        detector.lastSpeechEnd(tail, rate).whenComplete((end, error) -> {
            synchronized (this) {
                speechCheckRunning = false;
                if (error != null) {
                    LOG.warnf(
                            "the voice activity detector of a stream on model %s failed: %s",
                            model, rootMessage(error));
                    return;
                }
                if (id == utteranceId && !closing && end <= tailSeconds - pause) {
                    decodeFinal();
                }
            }
        });
    }

    /**
     * A time in the stream as sent: to 0.1 microsecond, which keeps every sample position (at 16 kHz a
     * sample is 62.5 us) and drops the float noise of sums (1.5999999999999999 is sent as 1.6).
     */
    static double seconds(double value) {
        return Math.round(value * 1e7) / 1e7;
    }

    /** The words two consecutive partial texts begin with alike. */
    static String agreed(String previous, String current) {
        String[] a = previous.split(" ");
        String[] b = current.split(" ");
        int n = 0;
        while (n < a.length && n < b.length && !a[n].isEmpty() && a[n].equals(b[n])) {
            n++;
        }
        return String.join(" ", List.of(b).subList(0, n));
    }

    /**
     * The utterance's final text, if it has speech; the next utterance starts after it. Finals are
     * sent in the order their utterances ended, each once its decode and every earlier final are
     * done; the future returned completes when every final so far has been sent (a stop waits for it).
     */
    private CompletableFuture<Void> decodeFinal() {
        if (!utterance.hasSpeech()) {
            utterance.finish();
            return finals;
        }
        double start = utterance.startSeconds();
        float[] audio = utterance.finish();
        double end = start + audio.length / (double) rate;
        utteranceId++;
        previousPartial = "";
        incremental = newIncremental();
        long asked = System.nanoTime();
        CompletableFuture<Object> decoded = decode(audio).handle((text, error) -> error == null ? text : error);
        finals = finals.thenCombine(decoded, (previous, result) -> {
            synchronized (this) {
                if (result instanceof Throwable error) {
                    close(CloseCode.SERVER_ERROR, "recognition failed: " + rootMessage(error), "error");
                } else {
                    send(json.createObjectNode()
                            .put("type", "final")
                            .put("text", (String) result)
                            .put("start", seconds(start))
                            .put("end", seconds(end)));
                    metrics.streamFinal(model, System.nanoTime() - asked);
                }
                return null;
            }
        });
        return finals;
    }

    private CompletableFuture<String> decode(float[] audio) {
        long started = System.nanoTime();
        List<TaskInput> item = List.of(new TaskInput.Decoded(new Audio(audio, rate), "stream"));
        return pipeline.get().predict(item, null, null).thenApply(answers -> {
            metrics.streamDecoded(model, System.nanoTime() - started, audio.length / (double) rate);
            return ((SpeechRecognitionTask.Answer) answers.getFirst()).text().strip();
        });
    }

    /** A CTC model's characters with their times from the audio's start. */
    private CompletableFuture<List<SpeechRecognitionTask.Piece>> decodeCharacters(float[] audio) {
        long started = System.nanoTime();
        List<TaskInput> item = List.of(new TaskInput.Decoded(new Audio(audio, rate), "stream"));
        ObjectNode characters = json.createObjectNode().put("return_timestamps", "char");
        return pipeline.get().predict(item, characters, null).thenApply(answers -> {
            metrics.streamDecoded(model, System.nanoTime() - started, audio.length / (double) rate);
            List<SpeechRecognitionTask.Piece> chunks = ((SpeechRecognitionTask.Answer) answers.getFirst()).chunks();
            return chunks == null ? List.of() : chunks;
        });
    }

    private static String rootMessage(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause instanceof CompletionException) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }

    private void send(ObjectNode message) {
        String text = message.toString();
        onSocket(() -> {
            if (!socket.isClosed()) {
                socket.writeTextMessage(text);
            }
        });
    }

    /**
     * Runs a write on the socket's event loop, after every write asked for before it: messages and
     * the close are decided on several threads (the event loop, the batchers completing decodes),
     * and writing from them directly let a message reach the wire after the close frame.
     */
    private void onSocket(Runnable write) {
        if (context == null) {
            write.run();
        } else {
            context.runOnContext(v -> write.run());
        }
    }

    /** Stops reading frames and closes with the code and reason, once what is decoding has been sent. */
    private void close(CloseCode code, String reason, String why) {
        closing = true;
        end(code, reason, why);
    }

    private void end(CloseCode code, String reason, String why) {
        metrics.streamClosed(model, why);
        String shown = reason.length() > 120 ? reason.substring(0, 120) : reason;
        onSocket(() -> {
            if (!socket.isClosed()) {
                socket.close(code.code(), shown);
            }
        });
    }
}
