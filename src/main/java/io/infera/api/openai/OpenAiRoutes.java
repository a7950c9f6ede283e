package io.infera.api.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infera.api.ClientConnection;
import io.infera.api.RequestPath;
import io.infera.errors.Failures;
import io.infera.registry.ServedModel;
import io.infera.tasks.Pipeline;
import io.infera.tasks.TaskType;
import io.infera.tasks.textgeneration.Completion;
import io.infera.tasks.textgeneration.TextGenerationParameters;
import io.infera.tasks.textgeneration.TextGenerationPipeline;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.CompletableFuture;

/**
 * OpenAI-compatible {@code POST /v1/completions} and {@code POST /v1/chat/completions} for
 * text-generation models: a JSON answer, or with {@code stream: true} server-sent events as the
 * text is generated; errors as OpenAI's error object. Vert.x routes rather than JAX-RS, because
 * one route answers JSON or an event stream depending on the body, and a client that goes away
 * must cancel its generation (the connection's close handler).
 */
@ApplicationScoped
public class OpenAiRoutes {

    private final ObjectMapper json;
    private final RequestPath path;
    private final OpenAiReplies replies;
    private final JsonRoutes routes;

    OpenAiRoutes(ObjectMapper json, RequestPath path, JsonRoutes routes) {
        this.json = json;
        this.path = path;
        this.routes = routes;
        this.replies = routes.replies();
    }

    void register(@Observes Router router) {
        routes.post(router, "/v1/completions", ctx -> handle(ctx, false));
        routes.post(router, "/v1/chat/completions", ctx -> handle(ctx, true));
    }

    private void handle(RoutingContext ctx, boolean chat) {
        HttpServerResponse response = ctx.response();
        OpenAiRequest request;
        try {
            request = read(ctx, chat);
        } catch (RuntimeException e) {
            fail(response, path.refusedUnread(e));
            return;
        }
        OpenAiResponses shapes = new OpenAiResponses(json, chat, request.model());
        String echo = request.echo() ? request.prompt() : "";
        path.serve(request.model(), null, null, ClientConnection.of(ctx.request()), admitted -> {
                    TextGenerationPipeline pipeline =
                            textGeneration(admitted.model().pipeline().orElse(null), request.model());
                    TextGenerationParameters parameters = pipeline.parameters(request.parameters());
                    String text = chat ? pipeline.chatPrompt(request.messages()) : request.prompt();
                    TextGenerationPipeline.Prompt prompt =
                            pipeline.prompt(text, chat ? "messages" : "prompt", parameters);
                    // A client that goes away stops its generation at the next step.
                    CompletableFuture<Completion> completion = admitted.cancelledOnDisconnect(
                            request.stream()
                                    ? stream(
                                            response,
                                            pipeline,
                                            prompt,
                                            parameters,
                                            admitted.deadlineNanos(),
                                            shapes,
                                            request,
                                            echo)
                                    : pipeline.complete(prompt, parameters, admitted.deadlineNanos(), null));
                    completion.thenAccept(done -> admitted.copyToShadow(done, shadow -> copy(shadow, request, chat)));
                    return completion;
                })
                .whenComplete((c, error) -> {
                    if (error != null) {
                        fail(response, error); // unless a stream already answered (it sends its error as an event)
                    } else if (!request.stream()) {
                        send(response, 200, shapes.whole(echo + c.text(), c));
                    }
                });
    }

    private CompletableFuture<Completion> stream(
            HttpServerResponse response,
            TextGenerationPipeline pipeline,
            TextGenerationPipeline.Prompt prompt,
            TextGenerationParameters parameters,
            long deadline,
            OpenAiResponses shapes,
            OpenAiRequest request,
            String echo) {
        EventStream events = new EventStream(response, json);
        events.start();
        if (request.messages() != null) {
            events.send(shapes.roleChunk());
        }
        if (!echo.isEmpty()) {
            events.send(shapes.textChunk(echo));
        }
        CompletableFuture<Completion> generation =
                pipeline.complete(prompt, parameters, deadline, delta -> events.send(shapes.textChunk(delta)));
        generation.whenComplete((c, error) -> {
            if (error != null) {
                // the status is already sent: the error travels as an event, as OpenAI's streams do
                events.send(OpenAiError.of(Failures.unwrap(error)).toJson(json));
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

    /** The same completion from a shadow version, for comparison only (its own tokenizer and defaults). */
    private static CompletableFuture<Completion> copy(ServedModel shadow, OpenAiRequest request, boolean chat) {
        TextGenerationPipeline pipeline = textGeneration(shadow.pipeline().orElse(null), request.model());
        TextGenerationParameters parameters = pipeline.parameters(request.parameters());
        String text = chat ? pipeline.chatPrompt(request.messages()) : request.prompt();
        return pipeline.complete(
                pipeline.prompt(text, chat ? "messages" : "prompt", parameters),
                parameters,
                Pipeline.deadline(System.nanoTime(), null), // none: the lane bounds how long a copy may take
                null);
    }

    private OpenAiRequest read(RoutingContext ctx, boolean chat) {
        JsonNode body = replies.body(ctx);
        return chat ? OpenAiRequest.chat(body) : OpenAiRequest.completion(body);
    }

    private static TextGenerationPipeline textGeneration(Pipeline pipeline, String model) {
        return (TextGenerationPipeline)
                JsonRoutes.requireTask(pipeline, model, TaskType.TEXT_GENERATION, "the completion routes");
    }

    private void fail(HttpServerResponse response, Throwable failure) {
        replies.fail(response, failure);
    }

    private void send(HttpServerResponse response, int status, Object body) {
        replies.send(response, status, body);
    }
}
