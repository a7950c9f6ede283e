package io.infera.api.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infera.errors.PayloadTooLargeException;
import java.util.Set;

/**
 * A rerank request in the shape Cohere's and Jina's clients send (and LangChain's and LlamaIndex's
 * rerankers call): {@code model}, {@code query}, {@code documents} as strings or {@code {"text"}}
 * objects, {@code top_n}, {@code return_documents}; with {@code raw_scores} beside them. It becomes
 * one item of the rerank task, {@code {"query", "documents"}}, and its parameters.
 */
record RerankRequest(String model, ObjectNode item, ObjectNode parameters) {

    private static final Set<String> FIELDS =
            Set.of("model", "query", "documents", "top_n", "return_documents", "raw_scores");

    static RerankRequest read(JsonNode body, int maxDocuments) {
        String model = RequestBodies.modelOf(body, FIELDS);
        if (!body.path("query").isTextual() || body.path("query").asText().isEmpty()) {
            throw new OpenAiException(OpenAiError.invalid("query", "query must be a non-empty string"));
        }
        JsonNode documents = body.path("documents");
        if (!documents.isArray() || documents.isEmpty()) {
            throw new OpenAiException(OpenAiError.invalid(
                    "documents", "documents must be a non-empty list of strings or {\"text\": ...} objects"));
        }
        if (documents.size() > maxDocuments) {
            throw new PayloadTooLargeException(
                    "documents", documents.size() + " documents, more than the limit of " + maxDocuments);
        }
        ObjectNode item = JsonNodeFactory.instance.objectNode();
        item.set("query", body.get("query"));
        item.set("documents", documents);
        ObjectNode parameters = JsonNodeFactory.instance.objectNode();
        for (String name : new String[] {"top_n", "return_documents", "raw_scores"}) {
            if (body.has(name) && !body.get(name).isNull()) {
                parameters.set(name, body.get(name));
            }
        }
        return new RerankRequest(model, item, parameters);
    }
}
