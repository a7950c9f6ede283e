package io.infera.security;

import java.util.List;

/**
 * Hostile live streams (/v1/audio/stream): queries that are wrong (models of another task or none,
 * rates and encodings that do not exist, unknown parameters, injection-looking names) and messages
 * that are wrong (bytes that are not whole samples, NaN floats, messages over the limit, text that
 * is not a stop, pieces of a container encoding that are no container), mixed with audio that is
 * fine. Each stream ends with a stop.
 *
 * @param query    the query string after {@code ?}
 * @param messages what the client sends, in order: a byte[] is a binary message, a String a text one
 */
record HostileStream(String query, List<Object> messages) {

    @Override
    public String toString() {
        return "stream ?" + query + " then "
                + messages.stream()
                        .map(m -> m instanceof byte[] bytes ? "binary[" + bytes.length + "]" : "text " + m)
                        .toList();
    }
}
