package io.infera.api.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infera.processing.text.ChatTemplate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An OpenAI completions or chat completions request, read and checked, with its sampling
 * fields turned into the predict route's text-generation parameters: {@code max_tokens} is
 * max_new_tokens, a temperature of 0 is greedy, anything above samples (OpenAI's default is 1),
 * and there is no top-k unless the request asks (as vLLM, {@code top_k} is accepted).
 *
 * @param model        the model's name
 * @param prompt       the completion prompt (completions), or null
 * @param messages     the conversation (chat), or null
 * @param parameters   text-generation parameters
 * @param stream       answer as server-sent events
 * @param includeUsage send a last event with the token counts (stream_options.include_usage)
 * @param echo         the completion text starts with the prompt (completions)
 */
record OpenAiRequest(
        String model,
        String prompt,
        List<ChatTemplate.Message> messages,
        ObjectNode parameters,
        boolean stream,
        boolean includeUsage,
        boolean echo) {

    private static final Set<String> COMMON = Set.of(
            "model",
            "max_tokens",
            "temperature",
            "top_p",
            "top_k",
            "seed",
            "stop",
            "n",
            "stream",
            "stream_options",
            "presence_penalty",
            "frequency_penalty",
            "logprobs",
            "repetition_penalty",
            "user",
            "logit_bias");
    private static final Set<String> COMPLETIONS = Set.of("prompt", "echo", "suffix", "best_of");
    private static final Set<String> CHAT = Set.of(
            "messages",
            "max_completion_tokens",
            "top_logprobs",
            "response_format",
            "tools",
            "tool_choice",
            "parallel_tool_calls");

    static OpenAiRequest completion(JsonNode body) {
        String model = RequestBodies.modelOf(body, fields(COMPLETIONS));
        JsonNode prompt = body.path("prompt");
        if (prompt.isArray() && prompt.size() == 1 && prompt.get(0).isTextual()) {
            prompt = prompt.get(0);
        }
        if (!prompt.isTextual()) {
            throw new OpenAiException(
                    OpenAiError.invalid("prompt", "prompt must be a string (or a list of one string)"));
        }
        unsupported(body, "suffix", "best_of");
        ObjectNode parameters =
                common(body, body.path("max_tokens").isMissingNode() ? JsonNodeFactory.instance.numberNode(16) : null);
        return new OpenAiRequest(
                model,
                prompt.asText(),
                null,
                parameters,
                stream(body),
                includeUsage(body),
                body.path("echo").asBoolean(false));
    }

    static OpenAiRequest chat(JsonNode body) {
        String model = RequestBodies.modelOf(body, fields(CHAT));
        JsonNode messages = body.path("messages");
        if (!messages.isArray() || messages.isEmpty()) {
            throw new OpenAiException(OpenAiError.invalid("messages", "messages must be a non-empty list"));
        }
        List<ChatTemplate.Message> read = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            read.add(message(messages.get(i), "messages[" + i + "]"));
        }
        unsupported(body, "top_logprobs", "response_format", "tools", "tool_choice", "parallel_tool_calls");
        ObjectNode parameters = common(
                body, body.path("max_completion_tokens").isMissingNode() ? null : body.path("max_completion_tokens"));
        return new OpenAiRequest(model, null, List.copyOf(read), parameters, stream(body), includeUsage(body), false);
    }

    private static ChatTemplate.Message message(JsonNode m, String field) {
        String role = m.path("role").asText("");
        if (!Set.of("system", "user", "assistant", "developer").contains(role)) {
            throw new OpenAiException(
                    OpenAiError.invalid(field + ".role", field + ".role must be system, developer, user or assistant"));
        }
        JsonNode content = m.path("content");
        if (content.isTextual()) {
            return new ChatTemplate.Message(role, content.asText());
        }
        if (content.isArray()) { // content parts: only text ones are served by a text model
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if (!"text".equals(part.path("type").asText())
                        || !part.path("text").isTextual()) {
                    throw new OpenAiException(
                            OpenAiError.invalid(field + ".content", "only text content parts are supported"));
                }
                text.append(part.path("text").asText());
            }
            return new ChatTemplate.Message(role, text.toString());
        }
        throw new OpenAiException(
                OpenAiError.invalid(field + ".content", field + ".content must be a string or a list of text parts"));
    }

    /** The sampling fields both routes share, as text-generation parameters. */
    private static ObjectNode common(JsonNode body, JsonNode defaultMaxTokens) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        JsonNode maxTokens = body.has("max_tokens") ? body.get("max_tokens") : defaultMaxTokens;
        if (maxTokens != null && !maxTokens.isNull()) {
            p.set("max_new_tokens", maxTokens);
        }
        JsonNode temperature = body.path("temperature");
        double t = temperature.isNumber() ? temperature.asDouble() : 1.0;
        if (!temperature.isMissingNode() && !temperature.isNull() && !temperature.isNumber()) {
            throw new OpenAiException(OpenAiError.invalid("temperature", "temperature must be a number"));
        }
        if (t < 0 || t > 2) {
            throw new OpenAiException(OpenAiError.invalid("temperature", "temperature must be between 0 and 2"));
        }
        p.put("do_sample", t > 0);
        if (t > 0) {
            p.put("temperature", t);
            p.put("top_k", 0);
        }
        for (String name : new String[] {"top_p", "top_k", "seed", "stop", "repetition_penalty"}) {
            if (body.has(name) && !body.get(name).isNull()) {
                p.set(name, body.get(name));
            }
        }
        if (body.path("stop").isArray() && body.path("stop").size() > 4) {
            throw new OpenAiException(OpenAiError.invalid("stop", "at most 4 stop sequences"));
        }
        if (body.has("n") && !body.get("n").isNull() && body.get("n").asInt(0) != 1) {
            throw new OpenAiException(OpenAiError.invalid("n", "only n = 1 is supported"));
        }
        p.put("num_return_sequences", 1); // one choice, whatever the model's generation_config.json says
        for (String penalty : new String[] {"presence_penalty", "frequency_penalty"}) {
            if (body.path(penalty).isNumber() && body.path(penalty).asDouble() != 0) {
                throw new OpenAiException(
                        OpenAiError.invalid(penalty, penalty + " is not supported (use repetition_penalty)"));
            }
        }
        if (body.path("logprobs").asBoolean(false) || body.path("logprobs").isInt()) {
            throw new OpenAiException(OpenAiError.invalid("logprobs", "logprobs are not supported"));
        }
        unsupported(body, "logit_bias");
        return p;
    }

    private static void unsupported(JsonNode body, String... names) {
        for (String name : names) {
            JsonNode value = body.path(name);
            if (!value.isMissingNode()
                    && !value.isNull()
                    && !(value.isArray() && value.isEmpty())
                    && !(value.isObject() && value.isEmpty())) {
                throw new OpenAiException(OpenAiError.invalid(name, name + " is not supported"));
            }
        }
    }

    /** The fields a route reads: the common ones and its own. */
    private static Set<String> fields(Set<String> route) {
        Set<String> fields = new HashSet<>(COMMON);
        fields.addAll(route);
        return fields;
    }

    private static boolean stream(JsonNode body) {
        return flag(body.path("stream"), "stream");
    }

    private static boolean includeUsage(JsonNode body) {
        return flag(body.path("stream_options").path("include_usage"), "stream_options.include_usage");
    }

    /** An optional boolean: absent or null is false, anything but true/false is refused (never guessed). */
    private static boolean flag(JsonNode value, String name) {
        if (value.isMissingNode() || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new OpenAiException(OpenAiError.invalid(name, name + " must be true or false, got " + value));
        }
        return value.booleanValue();
    }
}
