package io.infera.processing.text;

/** Tokenizer offsets count Unicode code points (as Python strings do), Java strings UTF-16 units. */
public final class CodePoints {

    private CodePoints() {}

    /** The text between code-point offsets [start, end). */
    public static String substring(String text, int start, int end) {
        int from = text.offsetByCodePoints(0, start);
        return text.substring(from, text.offsetByCodePoints(from, end - start));
    }
}
