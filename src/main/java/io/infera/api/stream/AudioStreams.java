package io.infera.api.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.infera.api.ErrorKind;
import io.infera.api.RouteProblems;
import io.infera.config.InferaConfig;
import io.infera.errors.InferaException;
import io.infera.metrics.InferaMetrics;
import io.infera.processing.audio.FfmpegDecoder;
import io.infera.registry.ModelRepository;
import io.infera.tasks.Pipeline;
import io.infera.tasks.TaskType;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code GET /v1/audio/stream?model=...&sample_rate=16000&encoding=pcm16} upgraded to a WebSocket:
 * live recognition with a speech-recognition model ({@link StreamSession}). The query is checked
 * before the upgrade (400, 404 or 503 as problem+json, naming the field); a model already serving
 * {@code infera.audio.stream.per-model} streams closes the next one with 1013 and the reason.
 */
@ApplicationScoped
public class AudioStreams {

    static final String PATH = "/v1/audio/stream";
    private static final Set<String> PARAMETERS = Set.of("model", "sample_rate", "encoding");

    private final ModelRepository repository;
    private final InferaConfig.Stream limits;
    private final InferaMetrics metrics;
    private final ObjectMapper json;
    private final Map<String, AtomicInteger> active = new ConcurrentHashMap<>();
    private final Set<StreamSession> sessions = ConcurrentHashMap.newKeySet();
    /** The decoder of container encodings (WAV, Ogg/WebM Opus); null where the server has no ffmpeg. */
    private final FfmpegDecoder containers;

    AudioStreams(ModelRepository repository, InferaConfig config, InferaMetrics metrics, ObjectMapper json) {
        this.repository = repository;
        this.limits = config.audio().stream();
        this.metrics = metrics;
        this.json = json;
        this.containers = FfmpegDecoder.configured(config.audio().ffmpeg())
                .map(path -> new FfmpegDecoder(path, config.audio().ffmpegTimeout()))
                .orElse(null);
    }

    void register(@Observes Router router, Vertx vertx) {
        router.get(PATH).handler(this::open);
        vertx.setPeriodic(1000, id -> sessions.forEach(StreamSession::checkIdle));
    }

    void stop(@Observes ShutdownEvent event) {
        sessions.clear();
    }

    private void open(RoutingContext ctx) {
        String modelName;
        int rate;
        StreamSession.Encoding encoding;
        try {
            for (String name : ctx.queryParams().names()) {
                if (!PARAMETERS.contains(name)) {
                    throw invalid(name, "unknown query parameter (a stream takes model, sample_rate and encoding)");
                }
            }
            modelName = ctx.queryParams().get("model");
            if (modelName == null || modelName.isBlank()) {
                throw invalid("model", "required: the speech-recognition model to stream to");
            }
            rate = rate(ctx.queryParams().get("sample_rate"));
            encoding = encoding(ctx.queryParams().get("encoding"));
            pipeline(modelName); // refuses an unknown model, one not ready, one of another task
        } catch (InferaException e) {
            ErrorKind kind = ErrorKind.of(e);
            RouteProblems.send(ctx, json, kind.problem(e.getMessage()).withField(ErrorKind.field(e)));
            return;
        }
        if (!"websocket".equalsIgnoreCase(ctx.request().getHeader("Upgrade"))) {
            InferaException e = invalid("Upgrade", "this route is a WebSocket: GET with Upgrade: websocket");
            RouteProblems.send(
                    ctx, json, ErrorKind.of(e).problem(e.getMessage()).withField("Upgrade"));
            return;
        }
        String model = modelName;
        ctx.request().toWebSocket().onSuccess(socket -> {
            AtomicInteger count = active.computeIfAbsent(model, m -> metrics.activeStreams(m));
            if (count.incrementAndGet() > limits.perModel()) {
                count.decrementAndGet();
                metrics.streamClosed(model, "busy");
                socket.close(
                        CloseCode.TRY_LATER.code(),
                        "model " + model + " serves " + limits.perModel()
                                + " streams already (infera.audio.stream.per-model)");
                return;
            }
            StreamSession[] session = new StreamSession[1];
            session[0] = new StreamSession(
                    socket,
                    model,
                    () -> pipeline(model),
                    new StreamSession.Format(rate, encoding, containers),
                    limits,
                    metrics,
                    json,
                    () -> {
                        count.decrementAndGet();
                        sessions.remove(session[0]);
                    });
            sessions.add(session[0]);
            session[0].start();
        });
    }

    /** The model's speech-recognition pipeline, looked up for each decode (the model may be reloaded). */
    private Pipeline pipeline(String model) {
        Pipeline pipeline = repository.ready(model).pipeline().orElse(null);
        if (pipeline == null || pipeline.taskType() != TaskType.AUTOMATIC_SPEECH_RECOGNITION) {
            throw invalid("model", "model '" + model + "' is not a speech-recognition model: it cannot be streamed to");
        }
        return pipeline;
    }

    private static int rate(String value) {
        if (value == null) {
            return 16000;
        }
        try {
            int rate = Integer.parseInt(value);
            if (rate >= 8000 && rate <= 96000) {
                return rate;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw invalid("sample_rate", "the client's sampling rate in Hz, 8000 to 96000, got '" + shown(value) + "'");
    }

    private StreamSession.Encoding encoding(String value) {
        if (value == null) {
            return StreamSession.Encoding.PCM16;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "pcm16" -> StreamSession.Encoding.PCM16;
            case "f32", "float32" -> StreamSession.Encoding.F32;
            case "wav", "ogg", "opus", "webm" -> {
                if (containers == null) {
                    throw invalid(
                            "encoding",
                            "'" + value + "' pieces are decoded with ffmpeg, which this server does not have; "
                                    + "send pcm16 or f32 frames");
                }
                yield StreamSession.Encoding.CONTAINER;
            }
            default ->
                throw invalid(
                        "encoding",
                        "pcm16 or f32 (little-endian, mono), or a container in pieces: wav, ogg, opus or webm; got '"
                                + shown(value) + "'");
        };
    }

    private static String shown(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "..." : value;
    }

    private static io.infera.errors.InvalidInputException invalid(String field, String message) {
        return new io.infera.errors.InvalidInputException(field, message);
    }
}
