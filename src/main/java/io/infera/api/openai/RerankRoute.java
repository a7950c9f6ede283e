package io.infera.api.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infera.api.ClientConnection;
import io.infera.api.RequestPath;
import io.infera.config.InferaConfig;
import io.infera.tasks.Pipeline;
import io.infera.tasks.TaskInput;
import io.infera.tasks.TaskType;
import io.infera.tasks.rerank.Ranking;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code POST /v1/rerank} for every rerank (cross-encoder) model, in the shape the Cohere and Jina
 * rerank APIs answer: {@code {"id", "results": [{"index", "relevance_score", "document"?}], "model",
 * "usage"}}. The request is one item of the model's rerank pipeline: its (query, document) pairs are
 * rows of the dynamic batcher. Errors are OpenAI error objects, as on the other compatibility routes.
 */
@ApplicationScoped
public class RerankRoute {

    private final ObjectMapper json;
    private final RequestPath path;
    private final OpenAiReplies replies;
    private final long maxBody;
    private final int maxDocuments;

    RerankRoute(
            ObjectMapper json,
            RequestPath path,
            InferaConfig config,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBody) {
        this.json = json;
        this.path = path;
        this.replies = new OpenAiReplies(json);
        this.maxBody = maxBody.asLongValue();
        this.maxDocuments = config.limits().maxItems();
    }

    void register(@Observes Router router) {
        router.post("/v1/rerank")
                .handler(BodyHandler.create().setBodyLimit(maxBody))
                .blockingHandler(this::handle, false);
    }

    private void handle(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        RerankRequest request;
        try {
            request = RerankRequest.read(replies.body(ctx), maxDocuments);
        } catch (RuntimeException e) {
            replies.fail(response, path.refusedUnread(e));
            return;
        }
        path.serve(request.model(), null, null, ClientConnection.of(response), admitted -> {
                    Pipeline pipeline = reranker(admitted.model().pipeline().orElse(null), request.model());
                    List<TaskInput> item = List.of(new TaskInput.Json(request.item(), "request"));
                    return admitted.cancelledOnDisconnect(
                                    pipeline.predict(item, request.parameters(), admitted.timeout()))
                            .thenApply(results -> answer(request, (Ranking) results.getFirst()));
                })
                .whenComplete((answer, error) -> {
                    if (error != null) {
                        replies.fail(response, error);
                    } else {
                        replies.send(response, 200, answer);
                    }
                });
    }

    private static Pipeline reranker(Pipeline pipeline, String model) {
        if (pipeline != null && pipeline.taskType() == TaskType.RERANK) {
            return pipeline;
        }
        throw new OpenAiException(OpenAiError.invalid(
                "model",
                "model '" + model + "' is "
                        + (pipeline == null
                                ? "a raw-tensor model"
                                : "a " + pipeline.taskType().wireName() + " model")
                        + "; /v1/rerank serves rerank (cross-encoder) models"));
    }

    private ObjectNode answer(RerankRequest request, Ranking ranking) {
        ObjectNode body = json.createObjectNode().put("id", UUID.randomUUID().toString());
        ArrayNode results = body.putArray("results");
        for (Ranking.Ranked ranked : ranking.results()) {
            ObjectNode result = results.addObject().put("index", ranked.index()).put("relevance_score", ranked.score());
            if (ranked.text() != null) {
                result.putObject("document").put("text", ranked.text());
            }
        }
        body.put("model", request.model());
        body.putObject("usage").put("total_tokens", ranking.tokens());
        return body;
    }
}
