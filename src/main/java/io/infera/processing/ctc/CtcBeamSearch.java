package io.infera.processing.ctc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CTC prefix beam search without a language model: the most probable label sequence summed over
 * all the frame paths that collapse to it, where greedy decoding takes the single best path.
 * Works in log space; each prefix keeps the probability of ending in a blank and in its last label.
 */
public final class CtcBeamSearch {

    private final int beamWidth;
    private final int blank;

    /** A prefix's log probabilities of ending in a blank and in its last label. */
    private record Score(double blank, double label) {
        double total() {
            return logAdd(blank, label);
        }

        Score plus(double moreBlank, double moreLabel) {
            return new Score(logAdd(blank, moreBlank), logAdd(label, moreLabel));
        }
    }

    public CtcBeamSearch(int beamWidth, int blank) {
        if (beamWidth < 1) {
            throw new IllegalArgumentException("beam width must be >= 1");
        }
        this.beamWidth = beamWidth;
        this.blank = blank;
    }

    /** The best label sequence (blank-free, repeats merged) for [frames, vocabulary] logits. */
    public int[] decode(float[] logits, int frames, int vocabulary) {
        Map<List<Integer>, Score> beams = new HashMap<>();
        beams.put(List.of(), new Score(0, Double.NEGATIVE_INFINITY));
        for (int t = 0; t < frames; t++) {
            double[] logp = logSoftmax(logits, t * vocabulary, vocabulary);
            Map<List<Integer>, Score> next = new HashMap<>();
            for (Map.Entry<List<Integer>, Score> beam : beams.entrySet()) {
                List<Integer> prefix = beam.getKey();
                Score s = beam.getValue();
                Integer last = prefix.isEmpty() ? null : prefix.getLast();
                // Stay on the prefix: a blank, or its last label again (which collapses into it).
                double stayLabel = last == null ? Double.NEGATIVE_INFINITY : s.label() + logp[last];
                next.merge(
                        prefix, new Score(s.total() + logp[blank], stayLabel), (a, b) -> a.plus(b.blank(), b.label()));
                for (int c = 0; c < vocabulary; c++) {
                    if (c == blank) {
                        continue;
                    }
                    List<Integer> extended = new ArrayList<>(prefix);
                    extended.add(c);
                    // The same label twice in a row counts as two only with a blank between them.
                    double from = last != null && last == c ? s.blank() : s.total();
                    next.merge(
                            List.copyOf(extended),
                            new Score(Double.NEGATIVE_INFINITY, from + logp[c]),
                            (a, b) -> a.plus(b.blank(), b.label()));
                }
            }
            List<Map.Entry<List<Integer>, Score>> ranked = new ArrayList<>(next.entrySet());
            ranked.sort(Comparator.comparingDouble(
                            (Map.Entry<List<Integer>, Score> e) -> e.getValue().total())
                    .reversed());
            beams = new HashMap<>();
            for (Map.Entry<List<Integer>, Score> e : ranked.subList(0, Math.min(beamWidth, ranked.size()))) {
                beams.put(e.getKey(), e.getValue());
            }
        }
        List<Integer> best = beams.entrySet().stream()
                .max(Comparator.comparingDouble(
                        (Map.Entry<List<Integer>, Score> e) -> e.getValue().total()))
                .map(Map.Entry::getKey)
                .orElse(List.of());
        return best.stream().mapToInt(Integer::intValue).toArray();
    }

    static double logAdd(double a, double b) {
        if (a == Double.NEGATIVE_INFINITY) {
            return b;
        }
        if (b == Double.NEGATIVE_INFINITY) {
            return a;
        }
        double max = Math.max(a, b);
        return max + Math.log(Math.exp(a - max) + Math.exp(b - max));
    }

    private static double[] logSoftmax(float[] logits, int offset, int width) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < width; i++) {
            max = Math.max(max, logits[offset + i]);
        }
        double sum = 0;
        for (int i = 0; i < width; i++) {
            sum += Math.exp(logits[offset + i] - max);
        }
        double log = max + Math.log(sum);
        double[] out = new double[width];
        for (int i = 0; i < width; i++) {
            out[i] = logits[offset + i] - log;
        }
        return out;
    }
}
