package io.infera.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Secrets a request must present (the management token, the inference API keys), kept as SHA-256
 * digests and compared in constant time: comparing digests of equal length means neither the
 * length nor a common prefix of a guess shows in the time an answer takes.
 */
final class Credentials {

    private final List<byte[]> digests;

    Credentials(List<String> secrets) {
        this.digests = secrets.stream()
                .filter(s -> !s.isBlank())
                .map(Credentials::sha256)
                .toList();
    }

    boolean isEmpty() {
        return digests.isEmpty();
    }

    /** Whether {@code presented} is one of the secrets; every secret is compared, whatever matches. */
    boolean accepts(String presented) {
        if (presented == null) {
            return false;
        }
        byte[] digest = sha256(presented);
        boolean match = false;
        for (byte[] secret : digests) {
            match |= MessageDigest.isEqual(secret, digest);
        }
        return match;
    }

    /** The token of an {@code Authorization: Bearer <token>} header, or null. */
    static String bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorization.substring(7).strip();
        return token.isEmpty() ? null : token;
    }

    private static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
