package io.infera.api.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infera.tasks.textgeneration.Completion;
import java.util.UUID;

/** The JSON shapes of OpenAI's completion and chat completion answers and stream chunks. */
final class OpenAiResponses {

    private final ObjectMapper json;
    private final boolean chat;
    private final String id;
    private final String model;
    private final long created = System.currentTimeMillis() / 1000;

    OpenAiResponses(ObjectMapper json, boolean chat, String model) {
        this.json = json;
        this.chat = chat;
        this.model = model;
        this.id = (chat ? "chatcmpl-" : "cmpl-") + UUID.randomUUID().toString().replace("-", "");
    }

    /** The whole answer of a request without {@code stream}. */
    ObjectNode whole(String text, Completion c) {
        ObjectNode choice = json.createObjectNode().put("index", 0);
        if (chat) {
            choice.set(
                    "message", json.createObjectNode().put("role", "assistant").put("content", text));
        } else {
            choice.put("text", text).putNull("logprobs");
        }
        choice.put("finish_reason", c.finishReason().wireName());
        ObjectNode body = envelope(chat ? "chat.completion" : "text_completion");
        body.set("choices", json.createArrayNode().add(choice));
        body.set("usage", usage(c));
        return body;
    }

    /** The chat stream's first chunk: the assistant's role. */
    ObjectNode roleChunk() {
        return chunk(json.createObjectNode().put("role", "assistant").put("content", ""), null);
    }

    /** A piece of text. */
    ObjectNode textChunk(String delta) {
        return chat ? chunk(json.createObjectNode().put("content", delta), null) : chunk(delta, null);
    }

    /** The last chunk with choices: no text, the finish reason. */
    ObjectNode finishChunk(Completion c) {
        return chat
                ? chunk(json.createObjectNode(), c.finishReason().wireName())
                : chunk("", c.finishReason().wireName());
    }

    /** stream_options.include_usage's chunk: no choices, the token counts. */
    ObjectNode usageChunk(Completion c) {
        ObjectNode body = envelope(chat ? "chat.completion.chunk" : "text_completion");
        body.set("choices", json.createArrayNode());
        body.set("usage", usage(c));
        return body;
    }

    private ObjectNode chunk(Object delta, String finishReason) {
        ObjectNode choice = json.createObjectNode().put("index", 0);
        if (delta instanceof ObjectNode node) {
            choice.set("delta", node);
        } else {
            choice.put("text", (String) delta).putNull("logprobs");
        }
        choice.put("finish_reason", finishReason);
        ObjectNode body = envelope(chat ? "chat.completion.chunk" : "text_completion");
        ArrayNode choices = json.createArrayNode().add(choice);
        body.set("choices", choices);
        return body;
    }

    private ObjectNode envelope(String object) {
        return json.createObjectNode()
                .put("id", id)
                .put("object", object)
                .put("created", created)
                .put("model", model);
    }

    private ObjectNode usage(Completion c) {
        return json.createObjectNode()
                .put("prompt_tokens", c.promptTokens())
                .put("completion_tokens", c.completionTokens())
                .put("total_tokens", c.promptTokens() + c.completionTokens());
    }
}
