package io.infera.api.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infera.api.RequestPath;
import io.infera.config.InferaConfig;
import io.infera.tasks.Pipeline;
import io.infera.tasks.TaskType;
import io.infera.tasks.featureextraction.Embedding;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * OpenAI-compatible {@code POST /v1/embeddings} for every feature-extraction model: the inputs of
 * a request are items of the model's pipeline (rows of its dynamic batcher, sharing batches with
 * the predict route's), answered in OpenAI's shape with the tokens each input took as usage.
 */
@ApplicationScoped
public class OpenAiEmbeddings {

    private final ObjectMapper json;
    private final JsonRoutes routes;
    private final int maxItems;

    OpenAiEmbeddings(ObjectMapper json, JsonRoutes routes, InferaConfig config) {
        this.json = json;
        this.routes = routes;
        this.maxItems = config.limits().maxItems();
    }

    void register(@Observes Router router) {
        routes.post(
                router,
                "/v1/embeddings",
                ctx -> routes.answer(
                        ctx, body -> EmbeddingsRequest.read(body, maxItems), EmbeddingsRequest::model, this::embed));
    }

    private CompletableFuture<ObjectNode> embed(EmbeddingsRequest request, RequestPath.Admitted admitted) {
        Pipeline pipeline = JsonRoutes.requireTask(
                admitted.model().pipeline().orElse(null),
                request.model(),
                TaskType.FEATURE_EXTRACTION,
                "/v1/embeddings");
        return admitted.predict(pipeline, request.inputs(), request.parameters())
                .thenApply(results -> answer(request, results));
    }

    private ObjectNode answer(EmbeddingsRequest request, List<Object> results) {
        ArrayNode data = json.createArrayNode();
        long tokens = 0;
        for (int i = 0; i < results.size(); i++) {
            Embedding embedding = (Embedding) results.get(i);
            if (!(embedding.vector() instanceof float[] vector)) {
                throw new OpenAiException(OpenAiError.invalid(
                        "model",
                        "model '" + request.model() + "' answers a vector per token (serving.yaml parameters"
                                + " pooling: none); /v1/embeddings answers one vector per input"));
            }
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            if (request.base64()) {
                item.put("embedding", base64(vector));
            } else {
                ArrayNode values = item.putArray("embedding");
                for (float v : vector) {
                    values.add(v);
                }
            }
            tokens += embedding.tokens();
        }
        ObjectNode body = json.createObjectNode().put("object", "list");
        body.set("data", data);
        body.put("model", request.model());
        body.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        return body;
    }

    /** Little-endian float32, base64-encoded: what the OpenAI clients decode. */
    private static String base64(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(vector);
        return Base64.getEncoder().encodeToString(bytes.array());
    }
}
