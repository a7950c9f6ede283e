package io.infera.errors;

/**
 * The request lacks a credential the route needs ({@link #authenticated()} false: 401, with a
 * Bearer challenge) or its credential does not grant the route (true: 403).
 */
public final class AccessDeniedException extends InferaException {
    private final boolean authenticated;

    public AccessDeniedException(String detail, boolean authenticated) {
        super(detail);
        this.authenticated = authenticated;
    }

    public boolean authenticated() {
        return authenticated;
    }
}
