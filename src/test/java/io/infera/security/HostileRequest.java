package io.infera.security;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One generated request that a correct server must refuse with a 4xx.
 *
 * @param kind        the generator that made it, for the tally and for failure reports
 * @param method      GET or POST
 * @param path        the raw request path (already percent-encoded where it needs to be)
 * @param contentType null to send none
 * @param headers     further request headers
 * @param body        the body bytes, possibly not UTF-8 and possibly empty
 */
public record HostileRequest(
        String kind, String method, String path, String contentType, Map<String, String> headers, byte[] body) {

    public HostileRequest(String kind, String path, String contentType, byte[] body) {
        this(kind, "POST", path, contentType, Map.of(), body);
    }

    public static HostileRequest json(String kind, String path, String json) {
        return new HostileRequest(kind, path, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    public static HostileRequest get(String kind, String path) {
        return new HostileRequest(kind, "GET", path, null, Map.of(), new byte[0]);
    }

    public HostileRequest withHeader(String name, String value) {
        Map<String, String> more = new java.util.LinkedHashMap<>(headers);
        more.put(name, value);
        return new HostileRequest(kind, method, path, contentType, Map.copyOf(more), body);
    }

    @Override
    public String toString() {
        String shown = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
        return kind + " " + method + " " + path + " " + headers + " [" + contentType + ", " + body.length + " bytes] "
                + shown;
    }
}
