package io.infera.api.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infera.api.RequestPath;
import io.infera.config.InferaConfig;
import io.infera.tasks.Pipeline;
import io.infera.tasks.TaskInput;
import io.infera.tasks.TaskType;
import io.infera.tasks.rerank.Ranking;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /v1/rerank} for every rerank (cross-encoder) model, in the shape the Cohere and Jina
 * rerank APIs answer: {@code {"id", "results": [{"index", "relevance_score", "document"?}], "model",
 * "usage"}}. The request is one item of the model's rerank pipeline: its (query, document) pairs are
 * rows of the dynamic batcher. Errors are OpenAI error objects, as on the other compatibility routes.
 */
@ApplicationScoped
public class RerankRoute {

    private final ObjectMapper json;
    private final JsonRoutes routes;
    private final int maxDocuments;

    RerankRoute(ObjectMapper json, JsonRoutes routes, InferaConfig config) {
        this.json = json;
        this.routes = routes;
        this.maxDocuments = config.limits().maxItems();
    }

    void register(@Observes Router router) {
        routes.post(
                router,
                "/v1/rerank",
                ctx -> routes.answer(
                        ctx, body -> RerankRequest.read(body, maxDocuments), RerankRequest::model, this::rerank));
    }

    private CompletableFuture<ObjectNode> rerank(RerankRequest request, RequestPath.Admitted admitted) {
        Pipeline pipeline = JsonRoutes.requireTask(
                admitted.model().pipeline().orElse(null), request.model(), TaskType.RERANK, "/v1/rerank");
        List<TaskInput> item = List.of(new TaskInput.Json(request.item(), "request"));
        return admitted.predict(pipeline, item, request.parameters())
                .thenApply(results -> answer(request, (Ranking) results.getFirst()));
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
