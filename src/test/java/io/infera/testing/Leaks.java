package io.infera.testing;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What an error message must never show a client: stack frames, class names of the server's libraries, file paths. */
public final class Leaks {

    private static final Pattern LEAK = Pattern.compile("(?i)exception|\\bat [a-z_$][\\w$]*\\.[\\w$.]+\\(|"
            + "\\b(java|javax|jakarta|sun|jdk|io\\.infera|io\\.vertx|io\\.quarkus|io\\.netty|io\\.smallrye|com\\.fasterxml|"
            + "ai\\.onnxruntime|ai\\.djl|org\\.jboss)\\.[a-z]|(/|\\\\)(work|tmp|home|root|usr|opt|src|target)(/|\\\\)|\\.java\\b|"
            + "src/test/resources");

    private Leaks() {}

    /** True when the text shows internals. */
    public static boolean in(String text) {
        return text != null && LEAK.matcher(text).find();
    }

    /**
     * True when the text shows internals that the client did not send itself: an error may quote
     * the offending input ("Unrecognized token 'exception'"), which reveals nothing.
     */
    public static boolean in(String text, byte[] input) {
        if (text == null) {
            return false;
        }
        String sent = new String(input, StandardCharsets.UTF_8).toLowerCase(java.util.Locale.ROOT);
        String latin = new String(input, StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
        Matcher m = LEAK.matcher(text);
        while (m.find()) {
            String found = m.group().toLowerCase(java.util.Locale.ROOT);
            if (!sent.contains(found) && !latin.contains(found)) {
                return true;
            }
        }
        return false;
    }
}
