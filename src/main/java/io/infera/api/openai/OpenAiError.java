package io.infera.api.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infera.api.ErrorKind;
import io.infera.errors.BackendException;
import io.infera.errors.InferaException;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * A failure as the OpenAI API reports one: {@code {"error": {"message", "type", "param", "code"}}}
 * with the status, type and code of {@link ErrorKind}, the table the problem+json routes answer from too. Field names of the predict route
 * (parameters.max_new_tokens) are told by their OpenAI names (max_tokens).
 */
record OpenAiError(int status, String type, String message, String param, String code, Integer retryAfterSeconds) {

    private static final Logger LOG = Logger.getLogger(OpenAiError.class);

    /** The predict route's parameter names for the OpenAI ones they were mapped from. */
    private static final Map<String, String> PARAMS = Map.of(
            "parameters.max_new_tokens",
            "max_tokens",
            "parameters.temperature",
            "temperature",
            "parameters.top_p",
            "top_p",
            "parameters.top_k",
            "top_k",
            "parameters.seed",
            "seed",
            "parameters.stop",
            "stop",
            "parameters.repetition_penalty",
            "repetition_penalty");

    static OpenAiError invalid(String param, String message) {
        return new OpenAiError(
                ErrorKind.INVALID_INPUT.status(), ErrorKind.INVALID_INPUT.openAiType(), message, param, null, null);
    }

    static OpenAiError of(Throwable failure) {
        return switch (failure) {
            case OpenAiException e -> e.error();
            case BackendException e -> internal(e);
            case InferaException e -> of(e, ErrorKind.of(e));
            default -> internal(failure);
        };
    }

    private static OpenAiError of(InferaException failure, ErrorKind kind) {
        String field = ErrorKind.field(failure);
        String param = field != null ? param(field) : kind.openAiParam();
        // the message names the field as the client sent it
        String message = field != null ? failure.getMessage().replace(field + ":", param + ":") : failure.getMessage();
        return new OpenAiError(
                kind.status(),
                kind.openAiType(),
                message,
                param,
                kind.openAiCode(),
                ErrorKind.retryAfterSeconds(failure));
    }

    private static OpenAiError internal(Throwable failure) {
        String reference = UUID.randomUUID().toString();
        LOG.errorf(failure, "generation failed [%s]", reference);
        return new OpenAiError(
                500, "server_error", "generation failed (reference " + reference + ")", null, null, null);
    }

    private static String param(String field) {
        if (field == null) {
            return null;
        }
        if (field.startsWith("inputs")) { // the embeddings route's items: OpenAI calls them input
            return "input" + field.substring("inputs".length());
        }
        if (field.startsWith("request.")) { // the rerank route's one item: its fields are the body's
            return field.substring("request.".length());
        }
        return PARAMS.getOrDefault(
                field, field.startsWith("parameters.") ? field.substring("parameters.".length()) : field);
    }

    ObjectNode toJson(ObjectMapper json) {
        ObjectNode error = json.createObjectNode();
        error.put("message", message).put("type", type).put("param", param).put("code", code);
        ObjectNode body = json.createObjectNode();
        body.set("error", error);
        return body;
    }
}
