package io.infera.api.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infera.api.ClientConnection;
import io.infera.api.RequestPath;
import io.infera.errors.InvalidInputException;
import io.infera.registry.ServedModel;
import io.infera.tasks.Pipeline;
import io.infera.tasks.TaskInput;
import io.infera.tasks.TaskType;
import io.infera.tasks.speechrecognition.SpeechRecognitionTask;
import io.infera.tasks.speechrecognition.WhisperRecognition;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * OpenAI's {@code POST /v1/audio/transcriptions} and {@code /v1/audio/translations} for every
 * speech-recognition model: the multipart form of {@link TranscriptionRequest} (read by {@link
 * MultipartForm}), the clip run as one
 * item of the model's pipeline (long clips in its chunks, which are rows of the dynamic batcher),
 * and the answer in the requested {@link Transcript} format, or as server-sent
 * {@code transcript.text.delta} events and a {@code transcript.text.done} with {@code stream=true}.
 * A CTC model (wav2vec2-style) transcribes in its own language only: a translation, a prompt or a
 * temperature above 0 is refused naming the field, since it could not change the answer. A
 * Whisper-style model takes the language and a prompt and translates, decoding with timestamps
 * (its segments; clips of any length); temperatures and word times are refused naming the field.
 */
@ApplicationScoped
public class OpenAiTranscriptions {

    private static final String CTC_ONLY = "is a CTC model: it transcribes greedily what it hears, in its own "
            + "language, and cannot be prompted, sampled or asked to translate";

    private final ObjectMapper json;
    private final RequestPath path;
    private final OpenAiReplies replies;

    OpenAiTranscriptions(ObjectMapper json, RequestPath path) {
        this.json = json;
        this.path = path;
        this.replies = new OpenAiReplies(json);
    }

    void register(@Observes Router router) {
        for (String task : List.of("transcriptions", "translations")) {
            // the body is read whole (held to the server's body limit) and parsed as a form here:
            // Vert.x's streaming form decoder waits for ever on a form cut short
            router.post("/v1/audio/" + task).handler(ctx -> {
                ctx.request()
                        .body()
                        .onSuccess(body -> ctx.vertx()
                                .executeBlocking(
                                        () -> {
                                            handle(ctx, body.getBytes(), task.equals("translations"));
                                            return null;
                                        },
                                        false))
                        .onFailure(ctx::fail);
                ctx.request().resume(); // the router holds a request's body back until a handler asks for it
            });
        }
    }

    private void handle(RoutingContext ctx, byte[] body, boolean translate) {
        HttpServerResponse response = ctx.response();
        TranscriptionRequest request;
        try {
            request = TranscriptionRequest.read(body, ctx.request().getHeader("Content-Type"));
        } catch (RuntimeException e) {
            replies.fail(response, path.refusedUnread(e));
            return;
        }
        path.serve(
                        request.model(),
                        null,
                        null,
                        ClientConnection.of(ctx.request()),
                        admitted -> transcribe(request, admitted, translate))
                .whenComplete((transcript, error) -> {
                    if (error != null) {
                        replies.fail(response, error);
                    } else {
                        answer(response, request, transcript, translate);
                    }
                });
    }

    private CompletableFuture<Transcript> transcribe(
            TranscriptionRequest request, RequestPath.Admitted admitted, boolean translate) {
        ServedModel model = admitted.model();
        Pipeline pipeline = JsonRoutes.requireTask(
                model.pipeline().orElse(null),
                request.model(),
                TaskType.AUTOMATIC_SPEECH_RECOGNITION,
                translate ? "/v1/audio/translations" : "/v1/audio/transcriptions");
        boolean whisper = WhisperRecognition.decodes(pipeline);
        ObjectNode parameters = whisper ? whisperParameters(request, translate) : ctcParameters(request, translate);
        List<TaskInput> item = List.of(new TaskInput.Binary(request.audio(), request.mediaType(), "file"));
        return admitted.predict(pipeline, item, parameters).thenApply(results -> {
            SpeechRecognitionTask.Answer answer = (SpeechRecognitionTask.Answer) results.getFirst();
            return whisper ? Transcript.ofSegments(answer) : Transcript.ofWords(answer);
        });
    }

    /** A CTC model: greedy, in its own language, word times from its frames. */
    private ObjectNode ctcParameters(TranscriptionRequest request, boolean translate) {
        if (translate) {
            throw refused("model", "model '" + request.model() + "' " + CTC_ONLY);
        }
        if (request.prompt() != null) {
            throw refused("prompt", "model '" + request.model() + "' " + CTC_ONLY);
        }
        if (request.temperature() != 0) {
            throw refused("temperature", "model '" + request.model() + "' " + CTC_ONLY);
        }
        ObjectNode parameters = json.createObjectNode();
        if (needsTimes(request)) {
            parameters.put("return_timestamps", "word");
        }
        return parameters;
    }

    /**
     * A Whisper-style model: the language, the text prompt and the task (translations translate)
     * go to its prompt; it decodes with timestamps, as OpenAI's Whisper does, so that its
     * timestamped chunks are the segments and a clip longer than its window decodes window by
     * window. What it does not do here is refused naming the field: sampling at a temperature (it
     * decodes by beam search), word times.
     */
    private ObjectNode whisperParameters(TranscriptionRequest request, boolean translate) {
        String whisper = "model '" + request.model() + "' is Whisper-style; ";
        if (request.temperature() != 0) {
            throw refused(
                    "temperature",
                    whisper + "it decodes by beam search; sampling at a temperature is not implemented here");
        }
        if (request.granularities().contains("word")) {
            throw refused("timestamp_granularities[]", whisper + "word times are not implemented here");
        }
        ObjectNode parameters = json.createObjectNode();
        if (request.language() != null) {
            parameters.put("language", request.language());
        }
        if (request.prompt() != null) {
            parameters.put("prompt", request.prompt());
        }
        if (translate) {
            parameters.put("task", "translate");
        }
        parameters.put("return_timestamps", true);
        return parameters;
    }

    /** Times make the segments of srt, vtt and verbose_json, and its words. */
    private static boolean needsTimes(TranscriptionRequest request) {
        return !request.responseFormat().equals("json")
                && !request.responseFormat().equals("text");
    }

    private void answer(
            HttpServerResponse response, TranscriptionRequest request, Transcript transcript, boolean translate) {
        if (request.stream()) {
            EventStream events = new EventStream(response, json);
            events.start();
            List<Transcript.Segment> segments = transcript.segments();
            for (int i = 0; i < segments.size(); i++) {
                events.send(json.createObjectNode()
                        .put("type", "transcript.text.delta")
                        .put("delta", (i == 0 ? "" : " ") + segments.get(i).text()));
            }
            events.send(
                    json.createObjectNode().put("type", "transcript.text.done").put("text", transcript.text()));
            events.done();
            return;
        }
        switch (request.responseFormat()) {
            case "text" -> text(response, "text/plain; charset=utf-8", transcript.text());
            case "srt" -> text(response, "text/plain; charset=utf-8", transcript.srt());
            case "vtt" -> text(response, "text/vtt; charset=utf-8", transcript.vtt());
            case "verbose_json" -> {
                ObjectNode body = transcript.verboseJson(
                        json,
                        translate ? "translate" : "transcribe",
                        request.granularities().contains("segment"),
                        request.granularities().contains("word"));
                if (request.language() != null) {
                    body.put("language", request.language());
                }
                replies.send(response, 200, body);
            }
            default -> {
                ObjectNode body = json.createObjectNode().put("text", transcript.text());
                body.putObject("usage").put("type", "duration").put("seconds", Math.ceil(transcript.duration()));
                replies.send(response, 200, body);
            }
        }
    }

    private static void text(HttpServerResponse response, String type, String body) {
        if (!response.closed() && !response.ended()) {
            response.setStatusCode(200).putHeader("Content-Type", type).end(body);
        }
    }

    /** A request the model cannot answer as asked: a client error, counted as one. */
    private static InvalidInputException refused(String param, String message) {
        return new InvalidInputException(param, message);
    }
}
