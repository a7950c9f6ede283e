package io.infera.api.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infera.api.ClientConnection;
import io.infera.api.RequestPath;
import io.infera.tasks.Pipeline;
import io.infera.tasks.TaskType;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * How the compatibility routes take a request: a POST with a JSON body (held to the body limit),
 * read on a worker, then the common {@link RequestPath}; the answer is one JSON object, or an
 * OpenAI error object. Vert.x routes rather than JAX-RS, so that completions can answer an event
 * stream on the same route and a client that goes away cancels its work.
 */
@ApplicationScoped
class JsonRoutes {

    private final RequestPath path;
    private final OpenAiReplies replies;
    private final long maxBody;

    JsonRoutes(
            ObjectMapper json,
            RequestPath path,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBody) {
        this.path = path;
        this.replies = new OpenAiReplies(json);
        this.maxBody = maxBody.asLongValue();
    }

    /** The replies the routes write with, for routes that answer more than one JSON object (event streams). */
    OpenAiReplies replies() {
        return replies;
    }

    void post(Router router, String route, Handler<RoutingContext> handler) {
        router.post(route).handler(BodyHandler.create().setBodyLimit(maxBody)).blockingHandler(handler, false);
    }

    /**
     * Reads the request, serves it through the request path, and answers what the work answers.
     *
     * @param reader reads and checks the body (refusals are answered before any model is asked)
     * @param model  the model the request names
     * @param work   the model work of an admitted request, ending in the JSON answer
     */
    <R> void answer(
            RoutingContext ctx,
            Function<JsonNode, R> reader,
            Function<R, String> model,
            BiFunction<R, RequestPath.Admitted, CompletableFuture<?>> work) {
        HttpServerResponse response = ctx.response();
        R request;
        try {
            request = reader.apply(replies.body(ctx));
        } catch (RuntimeException e) {
            replies.fail(response, path.refusedUnread(e));
            return;
        }
        path.serve(
                        model.apply(request),
                        null,
                        null,
                        ClientConnection.of(ctx.request()),
                        admitted -> work.apply(request, admitted).thenApply(Object.class::cast))
                .whenComplete((answer, error) -> {
                    if (error != null) {
                        replies.fail(response, error);
                    } else {
                        replies.send(response, 200, answer);
                    }
                });
    }

    /** The model's pipeline when it serves the task the route is for; else a 400 naming the model. */
    static Pipeline requireTask(Pipeline pipeline, String model, TaskType task, String route) {
        if (pipeline != null && pipeline.taskType() == task) {
            return pipeline;
        }
        throw new OpenAiException(OpenAiError.invalid(
                "model",
                "model '" + model + "' is "
                        + (pipeline == null
                                ? "a raw-tensor model"
                                : article(pipeline.taskType().wireName()) + " model")
                        + "; " + route + " serves " + task.wireName() + " models"));
    }

    private static String article(String taskName) {
        return ("aeiou".indexOf(taskName.charAt(0)) >= 0 ? "an " : "a ") + taskName;
    }
}
