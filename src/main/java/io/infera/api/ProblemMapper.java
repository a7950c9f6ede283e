package io.infera.api;

import com.fasterxml.jackson.core.JacksonException;
import io.infera.errors.BackendException;
import io.infera.errors.DeadlineExceededException;
import io.infera.errors.OverloadedException;
import io.infera.errors.ShuttingDownException;
import io.infera.errors.InferaException;
import io.infera.errors.InvalidInputException;
import io.infera.errors.ModelNotFoundException;
import io.infera.errors.ModelNotReadyException;
import io.infera.errors.PayloadTooLargeException;
import io.infera.errors.UnsupportedMediaTypeException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The one place where failures become HTTP answers: problem+json, never a stack trace. */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    /** Seconds a client should wait before retrying a model that is still loading. */
    private static final String LOADING_RETRY_AFTER = "1";

    @ServerExceptionMapper
    public Response infera(InferaException e) {
        return switch (e) {
            case InvalidInputException invalid ->
                    Problem.of(400, "invalid-input", "Invalid input", e.getMessage()).withField(invalid.field()).toResponse();
            case ModelNotFoundException notFound -> Problem.of(404, "model-not-found", "Model not found", e.getMessage()).toResponse();
            case ModelNotReadyException notReady when notReady.permanent() ->
                    Problem.of(409, "model-failed", "Model failed to load", e.getMessage()).toResponse();
            case ModelNotReadyException notReady -> Response.fromResponse(
                    Problem.of(503, "model-not-ready", "Model not ready", e.getMessage()).toResponse())
                    .header("Retry-After", LOADING_RETRY_AFTER).build();
            case PayloadTooLargeException tooLarge ->
                    Problem.of(413, "payload-too-large", "Payload too large", e.getMessage()).withField(tooLarge.field()).toResponse();
            case UnsupportedMediaTypeException unsupported ->
                    Problem.of(415, "unsupported-media-type", "Unsupported media type", e.getMessage()).toResponse();
            case OverloadedException overloaded -> Response.fromResponse(
                    Problem.of(429, "overloaded", "Too many requests", e.getMessage()).toResponse())
                    .header("Retry-After", Integer.toString(overloaded.retryAfterSeconds())).build();
            case DeadlineExceededException deadline ->
                    Problem.of(504, "deadline-exceeded", "Deadline exceeded", e.getMessage()).toResponse();
            case io.infera.errors.AccessDeniedException denied when denied.authenticated() ->
                    Problem.of(403, "forbidden", "Forbidden", e.getMessage()).toResponse();
            case io.infera.errors.AccessDeniedException denied -> Response.fromResponse(
                    Problem.of(401, "unauthorized", "Unauthorized", e.getMessage()).toResponse())
                    .header("WWW-Authenticate", "Bearer realm=\"infera\"").build();
            case ShuttingDownException shuttingDown -> Response.fromResponse(
                    Problem.of(503, "shutting-down", "Shutting down", e.getMessage()).toResponse())
                    .header("Connection", "close").build();
            case BackendException backend -> {
                String reference = UUID.randomUUID().toString();
                LOG.errorf(e, "inference failed [%s]", reference);
                yield Problem.of(500, "inference-failed", "Inference failed", e.getMessage() + " (reference " + reference + ")").toResponse();
            }
        };
    }

    /** Malformed JSON that reached Jackson through a JAX-RS entity parameter. */
    @ServerExceptionMapper
    public Response json(JacksonException e) {
        return Problem.of(400, "invalid-input", "Invalid input", "body is not valid JSON: " + e.getOriginalMessage())
                .withField("body").toResponse();
    }

    /** Routing and content negotiation failures from JAX-RS: unknown path, wrong method, media type. */
    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String title = Response.Status.fromStatusCode(status) != null
                ? Response.Status.fromStatusCode(status).getReasonPhrase() : "HTTP " + status;
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
        return Problem.of(500, "internal-error", "Internal server error",
                "the server failed to answer this request; reference " + reference).toResponse();
    }
}
