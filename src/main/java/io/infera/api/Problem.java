package io.infera.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.ws.rs.core.Response;

/**
 * An RFC 9457 problem document, the body of every error answer.
 *
 * @param type   a relative URI naming the kind of problem, e.g. {@code /problems/invalid-input}
 * @param title  the kind of problem in words
 * @param status the HTTP status
 * @param detail what went wrong with this request
 * @param field  the request field at fault, when one is (an extension member)
 * @param requestId the id of the request answered (X-Request-Id), to quote when reporting it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
        String type,
        String title,
        int status,
        String detail,
        String field,
        @JsonProperty("request_id") String requestId) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(int status, String slug, String title, String detail) {
        return new Problem("/problems/" + slug, title, status, detail, null, null);
    }

    public Problem withField(String name) {
        return new Problem(type, title, status, detail, name, requestId);
    }

    public Problem withRequestId(String id) {
        return new Problem(type, title, status, detail, field, id);
    }

    public Response toResponse() {
        return Response.status(status).type(MEDIA_TYPE).entity(this).build();
    }
}
