package io.infera.api.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infera.api.ClientConnection;
import io.infera.api.JsonBody;
import io.infera.api.RequestMeter;
import io.infera.config.InferaConfig;
import io.infera.errors.InvalidInputException;
import io.infera.registry.ModelRepository;
import io.infera.tasks.Pipeline;
import io.infera.tasks.TaskType;
import io.infera.tasks.textgeneration.Completion;
import io.infera.tasks.textgeneration.TextGenerationParameters;
import io.infera.tasks.textgeneration.TextGenerationPipeline;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * OpenAI-compatible {@code POST /v1/completions} and {@code POST /v1/chat/completions} for
 * text-generation models: a JSON answer, or with {@code stream: true} server-sent events as the
 * text is generated; errors as OpenAI's error object. Vert.x routes rather than JAX-RS, because
 * one route answers JSON or an event stream depending on the body, and a client that goes away
 * must cancel its generation (the connection's close handler).
 */
@ApplicationScoped
public class OpenAiRoutes {

    private static final String TASK = TaskType.TEXT_GENERATION.wireName();

    private final ModelRepository repository;
    private final ObjectMapper json;
    private final RequestMeter meter;
    private final Duration timeout;
    private final long maxBody;

    OpenAiRoutes(ModelRepository repository, ObjectMapper json, RequestMeter meter, InferaConfig config,
                 @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBody) {
        this.repository = repository;
        this.json = json;
        this.meter = meter;
        this.timeout = Duration.ofMillis(config.batching().defaultTimeoutMs());
        this.maxBody = maxBody.asLongValue();
    }

    void register(@Observes Router router) {
        router.post("/v1/completions").handler(BodyHandler.create().setBodyLimit(maxBody)).blockingHandler(ctx -> handle(ctx, false), false);
        router.post("/v1/chat/completions").handler(BodyHandler.create().setBodyLimit(maxBody)).blockingHandler(ctx -> handle(ctx, true), false);
    }

    private void handle(RoutingContext ctx, boolean chat) {
        long start = meter.started();
        ClientConnection client = ClientConnection.of(ctx.response());
        String model = "";
        try {
            OpenAiRequest request = read(ctx, chat);
            model = request.model();
            TextGenerationPipeline pipeline = pipeline(model);
            TextGenerationParameters parameters = pipeline.parameters(request.parameters());
            String text = chat ? pipeline.chatPrompt(request.messages()) : request.prompt();
            TextGenerationPipeline.Prompt prompt = pipeline.prompt(text, chat ? "messages" : "prompt", parameters);
            long deadline = Pipeline.deadline(start, timeout);
            OpenAiResponses shapes = new OpenAiResponses(json, chat, model);
            String echo = request.echo() ? request.prompt() : "";
            String name = model;
            CompletableFuture<Completion> generation;
            if (request.stream()) {
                generation = stream(ctx.response(), pipeline, prompt, parameters, deadline, shapes, request, echo);
            } else {
                generation = pipeline.complete(prompt, parameters, deadline, null);
                generation.whenComplete((c, error) -> {
                    if (error == null) {
                        send(ctx.response(), 200, shapes.whole(echo + c.text(), c));
                    } else {
                        fail(ctx.response(), unwrap(error));
                    }
                });
            }
            // A client that goes away stops its generation at the next step.
            client.cancelOnClose(generation);
            generation.whenComplete((c, error) -> meter.finished(name, TASK, start, unwrap(error)));
        } catch (RuntimeException e) {
            meter.finished(model, model.isEmpty() ? RequestMeter.NO_TASK : TASK, start, e);
            fail(ctx.response(), e);
        }
    }

    private CompletableFuture<Completion> stream(HttpServerResponse response, TextGenerationPipeline pipeline,
                                                 TextGenerationPipeline.Prompt prompt, TextGenerationParameters parameters,
                                                 long deadline, OpenAiResponses shapes, OpenAiRequest request, String echo) {
        EventStream events = new EventStream(response, json);
        events.start();
        if (request.messages() != null) {
            events.send(shapes.roleChunk());
        }
        if (!echo.isEmpty()) {
            events.send(shapes.textChunk(echo));
        }
        CompletableFuture<Completion> generation = pipeline.complete(prompt, parameters, deadline,
                delta -> events.send(shapes.textChunk(delta)));
        generation.whenComplete((c, error) -> {
            if (error != null) {
                // the status is already sent: the error travels as an event, as OpenAI's streams do
                events.send(OpenAiError.of(unwrap(error)).toJson(json));
            } else {
                events.send(shapes.finishChunk(c));
                if (request.includeUsage()) {
                    events.send(shapes.usageChunk(c));
                }
            }
            events.done();
        });
        return generation;
    }

    private OpenAiRequest read(RoutingContext ctx, boolean chat) {
        JsonNode body;
        try {
            body = JsonBody.read(json, ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
        } catch (InvalidInputException e) {
            throw new OpenAiException(OpenAiError.invalid(null, e.getMessage()));
        }
        return chat ? OpenAiRequest.chat(body) : OpenAiRequest.completion(body);
    }

    private TextGenerationPipeline pipeline(String model) {
        Pipeline pipeline = repository.ready(model).pipeline().orElse(null);
        if (pipeline instanceof TextGenerationPipeline generation) {
            generation.admit(); // a full queue refuses before the prompt is tokenized
            return generation;
        }
        throw new OpenAiException(OpenAiError.invalid("model", "model '" + model + "' is "
                + (pipeline == null ? "a raw-tensor model" : "a " + pipeline.taskType().wireName() + " model")
                + "; these routes serve text-generation models"));
    }

    private void fail(HttpServerResponse response, Throwable failure) {
        OpenAiError error = OpenAiError.of(failure);
        if (error.retryAfterSeconds() != null) {
            response.putHeader("Retry-After", Integer.toString(error.retryAfterSeconds()));
        }
        send(response, error.status(), error.toJson(json));
    }

    private void send(HttpServerResponse response, int status, Object body) {
        if (response.closed() || response.ended()) {
            return;
        }
        try {
            response.setStatusCode(status).putHeader("Content-Type", "application/json").end(json.writeValueAsString(body));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
