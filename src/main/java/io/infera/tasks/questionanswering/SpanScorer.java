package io.infera.tasks.questionanswering;

import io.infera.processing.text.Encoding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The transformers question-answering pipeline's span scoring for one window: start and end
 * probabilities over the tokens that may be part of an answer (context tokens and [CLS]), the
 * best {@code candidates} spans by start × end probability no longer than the answer limit, and
 * the "no answer" score of the [CLS] position.
 */
final class SpanScorer {

    /** What the pipeline puts in place of the logits of tokens that cannot be in an answer. */
    private static final float MASKED = -10000f;

    record Span(int start, int end, double score) {}

    record Scored(List<Span> spans, double nullScore) {}

    private SpanScorer() {}

    /**
     * @param contextSequence the sequence index of the context in the window (1: question first)
     * @param clsId           the [CLS] token id, whose positions may answer "no answer"; -1 if none
     */
    static Scored score(
            Encoding window,
            float[] startLogits,
            float[] endLogits,
            int contextSequence,
            long clsId,
            int candidates,
            int maxAnswerLength) {
        int n = window.length();
        boolean[] allowed = new boolean[n];
        for (int i = 0; i < n; i++) {
            allowed[i] = window.sequenceIds()[i] == contextSequence || window.ids()[i] == clsId;
        }
        double[] start = probabilities(startLogits, allowed, n);
        double[] end = probabilities(endLogits, allowed, n);
        double nullScore = start[0] * end[0];
        start[0] = 0;
        end[0] = 0;
        // Every span (s, e) with s <= e < s + maxAnswerLength, best first; the pipeline keeps the
        // top candidates of all spans and only then drops those touching a disallowed token.
        List<Span> spans = new ArrayList<>();
        for (int s = 0; s < n; s++) {
            for (int e = s; e < Math.min(n, s + maxAnswerLength); e++) {
                spans.add(new Span(s, e, start[s] * end[e]));
            }
        }
        spans.sort((a, b) -> a.score() != b.score()
                ? Double.compare(b.score(), a.score())
                : a.start() != b.start() ? Integer.compare(a.start(), b.start()) : Integer.compare(a.end(), b.end()));
        List<Span> kept = new ArrayList<>();
        for (Span span : spans.subList(0, Math.min(candidates, spans.size()))) {
            if (allowed[span.start()] && allowed[span.end()]) {
                kept.add(span);
            }
        }
        return new Scored(kept, nullScore);
    }

    /** Softmax over the window with disallowed positions at the pipeline's mask value, in float as the pipeline. */
    private static double[] probabilities(float[] logits, boolean[] allowed, int n) {
        float[] masked = Arrays.copyOf(logits, n);
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            if (!allowed[i]) {
                masked[i] = MASKED;
            }
            max = Math.max(max, masked[i]);
        }
        double sum = 0;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) Math.exp(masked[i] - max);
            sum += out[i];
        }
        for (int i = 0; i < n; i++) {
            out[i] /= sum;
        }
        return out;
    }
}
