package io.infera.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.Response;

/**
 * An RFC 9457 problem document, the body of every error answer.
 *
 * @param type   a relative URI naming the kind of problem, e.g. {@code /problems/invalid-input}
 * @param title  the kind of problem in words
 * @param status the HTTP status
 * @param detail what went wrong with this request
 * @param field  the request field at fault, when one is (an extension member)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String field) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(int status, String slug, String title, String detail) {
        return new Problem("/problems/" + slug, title, status, detail, null);
    }

    public Problem withField(String name) {
        return new Problem(type, title, status, detail, name);
    }

    public Response toResponse() {
        return Response.status(status).type(MEDIA_TYPE).entity(this).build();
    }
}
