package io.infera.api;

import com.fasterxml.jackson.core.JacksonException;
import io.infera.errors.InferaException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The one place where failures become HTTP answers: problem+json, never a stack trace. */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response infera(InferaException e) {
        ErrorKind kind = ErrorKind.of(e);
        String detail = e.getMessage();
        if (kind == ErrorKind.INFERENCE_FAILED) {
            String reference = UUID.randomUUID().toString();
            LOG.errorf(e, "inference failed [%s]", reference);
            detail += " (reference " + reference + ")";
        }
        Response.ResponseBuilder answer = Response.fromResponse(
                kind.problem(detail).withField(ErrorKind.field(e)).toResponse());
        Integer retryAfter = ErrorKind.retryAfterSeconds(e);
        if (retryAfter != null) {
            answer.header("Retry-After", Integer.toString(retryAfter));
        }
        if (kind.header() != null) {
            answer.header(kind.header()[0], kind.header()[1]);
        }
        return answer.build();
    }

    /** Malformed JSON that reached Jackson through a JAX-RS entity parameter. */
    @ServerExceptionMapper
    public Response json(JacksonException e) {
        return ErrorKind.INVALID_INPUT
                .problem("body is not valid JSON: " + e.getOriginalMessage())
                .withField("body")
                .toResponse();
    }

    /** Routing and content negotiation failures from JAX-RS: unknown path, wrong method, media type. */
    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String title = Response.Status.fromStatusCode(status) != null
                ? Response.Status.fromStatusCode(status).getReasonPhrase()
                : "HTTP " + status;
        String slug = title.toLowerCase(java.util.Locale.ROOT).replace(' ', '-');
        return Problem.of(status, slug, title, e.getMessage()).toResponse();
    }

    /**
     * Work cancelled because its client went away: nobody reads the answer. 499 is nginx's "client
     * closed request", which access logs and metrics recognise.
     */
    @ServerExceptionMapper
    public Response cancelled(java.util.concurrent.CancellationException e) {
        LOG.debug("request cancelled: the client went away");
        return Response.status(499).build();
    }

    /** Anything unexpected: logged with a reference the client can quote, answered without internals. */
    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        String reference = UUID.randomUUID().toString();
        LOG.errorf(e, "unexpected error [%s]", reference);
        return ErrorKind.INTERNAL
                .problem("the server failed to answer this request; reference " + reference)
                .toResponse();
    }
}
