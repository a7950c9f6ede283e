package io.infera.api.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.infera.api.ErrorKind;
import io.infera.api.Problem;
import io.infera.api.ProblemMapper;
import io.infera.errors.AccessDeniedException;
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
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Both renderings of a failure, problem+json and OpenAI's error object, come from the one table. */
class ErrorRenderingTest {

    private static final List<InferaException> EVERY_KIND = List.of(
            new InvalidInputException("parameters.max_new_tokens", "must be >= 1"),
            new AccessDeniedException("needs a token", false),
            new AccessDeniedException("wrong token", true),
            new ModelNotFoundException("no model 'x'"),
            new ModelNotReadyException("still loading", false),
            new ModelNotReadyException("failed to load", true),
            new PayloadTooLargeException("inputs", "too many"),
            new UnsupportedMediaTypeException("text/csv"),
            new OverloadedException("queue full", 3),
            new DeadlineExceededException("late"),
            new ShuttingDownException("draining"),
            new BackendException("boom"));

    @Test
    void problemAndOpenAiAnswersAgreeOnStatusAndRetryAfter() {
        ProblemMapper mapper = new ProblemMapper();
        for (InferaException failure : EVERY_KIND) {
            Response problem = mapper.infera(failure);
            OpenAiError openAi = OpenAiError.of(failure);
            assertEquals(problem.getStatus(), openAi.status(), failure.toString());
            assertEquals(ErrorKind.of(failure).status(), problem.getStatus(), failure.toString());
            String retryAfter = problem.getHeaderString("Retry-After");
            assertEquals(
                    retryAfter,
                    openAi.retryAfterSeconds() == null
                            ? null
                            : openAi.retryAfterSeconds().toString(),
                    failure.toString());
        }
    }

    @Test
    void theTableHoldsEachKindsAnswer() {
        Response overloaded = new ProblemMapper().infera(new OverloadedException("queue full", 3));
        assertEquals(429, overloaded.getStatus());
        assertEquals("3", overloaded.getHeaderString("Retry-After"));
        assertEquals("/problems/overloaded", ((Problem) overloaded.getEntity()).type());
        assertEquals(
                "1",
                new ProblemMapper()
                        .infera(new ModelNotReadyException("loading", false))
                        .getHeaderString("Retry-After"));
        assertNull(new ProblemMapper()
                .infera(new ModelNotReadyException("failed", true))
                .getHeaderString("Retry-After"));
        assertEquals(
                "close",
                new ProblemMapper()
                        .infera(new ShuttingDownException("draining"))
                        .getHeaderString("Connection"));

        OpenAiError invalid = OpenAiError.of(new InvalidInputException("parameters.max_new_tokens", "must be >= 1"));
        assertEquals("max_tokens", invalid.param());
        assertEquals("max_tokens: must be >= 1", invalid.message());
        assertEquals("invalid_request_error", invalid.type());
        OpenAiError notFound = OpenAiError.of(new ModelNotFoundException("no model 'x'"));
        assertEquals(404, notFound.status());
        assertEquals("model", notFound.param());
        assertEquals("model_not_found", notFound.code());
        OpenAiError overloadedOpenAi = OpenAiError.of(new OverloadedException("queue full", 3));
        assertEquals("rate_limit_error", overloadedOpenAi.type());
        assertEquals(3, overloadedOpenAi.retryAfterSeconds());
        assertEquals(504, OpenAiError.of(new DeadlineExceededException("late")).status());
        assertEquals(
                "server_error", OpenAiError.of(new BackendException("boom")).type());
    }
}
