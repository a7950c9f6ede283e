package io.infera.api;

/**
 * A refusal a route makes in its own error shape rather than as an {@link
 * io.infera.errors.InferaException}, for a request the client got wrong (a 400): its request is
 * counted with outcome {@code invalid}, as one refused with an InvalidInputException is, never as a
 * server {@code error}.
 */
public interface InvalidRequest {}
