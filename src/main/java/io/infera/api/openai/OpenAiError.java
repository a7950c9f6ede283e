package io.infera.api.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infera.errors.BackendException;
import io.infera.errors.DeadlineExceededException;
import io.infera.errors.InferaException;
import io.infera.errors.InvalidInputException;
import io.infera.errors.ModelNotFoundException;
import io.infera.errors.ModelNotReadyException;
import io.infera.errors.OverloadedException;
import io.infera.errors.PayloadTooLargeException;
import io.infera.errors.ShuttingDownException;
import io.infera.errors.UnsupportedMediaTypeException;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * A failure as the OpenAI API reports one: {@code {"error": {"message", "type", "param", "code"}}}
 * with the HTTP status the problem+json routes would give. Field names of the predict route
 * (parameters.max_new_tokens) are told by their OpenAI names (max_tokens).
 */
record OpenAiError(int status, String type, String message, String param, String code, Integer retryAfterSeconds) {

    private static final Logger LOG = Logger.getLogger(OpenAiError.class);

    /** The predict route's parameter names for the OpenAI ones they were mapped from. */
    private static final Map<String, String> PARAMS = Map.of(
            "parameters.max_new_tokens", "max_tokens", "parameters.temperature", "temperature", "parameters.top_p", "top_p",
            "parameters.top_k", "top_k", "parameters.seed", "seed", "parameters.stop", "stop",
            "parameters.repetition_penalty", "repetition_penalty");

    static OpenAiError invalid(String param, String message) {
        return new OpenAiError(400, "invalid_request_error", message, param, null, null);
    }

    static OpenAiError of(Throwable failure) {
        return switch (failure) {
            case OpenAiException e -> e.error();
            case InvalidInputException e -> invalid(param(e.field()), e.getMessage().replace(e.field() + ":", param(e.field()) + ":"));
            case PayloadTooLargeException e -> new OpenAiError(413, "invalid_request_error", e.getMessage(), param(e.field()), null, null);
            case UnsupportedMediaTypeException e -> new OpenAiError(415, "invalid_request_error", e.getMessage(), null, null, null);
            case ModelNotFoundException e -> new OpenAiError(404, "invalid_request_error", e.getMessage(), "model", "model_not_found", null);
            case ModelNotReadyException e when e.permanent() -> new OpenAiError(409, "invalid_request_error", e.getMessage(), "model", "model_failed", null);
            case ModelNotReadyException e -> new OpenAiError(503, "server_error", e.getMessage(), "model", "model_not_ready", 1);
            case OverloadedException e -> new OpenAiError(429, "rate_limit_error", e.getMessage(), null, "overloaded", e.retryAfterSeconds());
            case DeadlineExceededException e -> new OpenAiError(504, "timeout_error", e.getMessage(), null, "deadline_exceeded", null);
            case ShuttingDownException e -> new OpenAiError(503, "server_error", e.getMessage(), null, "shutting_down", null);
            case BackendException e -> internal(e);
            case InferaException e -> internal(e);
            default -> internal(failure);
        };
    }

    private static OpenAiError internal(Throwable failure) {
        String reference = UUID.randomUUID().toString();
        LOG.errorf(failure, "generation failed [%s]", reference);
        return new OpenAiError(500, "server_error", "generation failed (reference " + reference + ")", null, null, null);
    }

    private static String param(String field) {
        if (field == null) {
            return null;
        }
        return PARAMS.getOrDefault(field, field.startsWith("parameters.") ? field.substring("parameters.".length()) : field);
    }

    ObjectNode toJson(ObjectMapper json) {
        ObjectNode error = json.createObjectNode();
        error.put("message", message).put("type", type).put("param", param).put("code", code);
        ObjectNode body = json.createObjectNode();
        body.set("error", error);
        return body;
    }
}
