package io.infera.processing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;

/** Logits to the best-first {label, score} list that text, image and audio classification answer with. */
public final class LabelRanking {

    private LabelRanking() {}

    /**
     * @param topK how many to keep; empty keeps every label
     */
    public static List<LabelScore> rank(float[] logits, ScoreFunction function, Labels labels, OptionalInt topK) {
        if (logits.length != labels.size()) {
            throw new IllegalStateException(
                    "model returned " + logits.length + " logits for " + labels.size() + " labels");
        }
        double[] scores = function.apply(logits);
        List<LabelScore> ranked = new ArrayList<>(scores.length);
        for (int i = 0; i < scores.length; i++) {
            ranked.add(new LabelScore(labels.name(i), scores[i]));
        }
        // Stable sort: equal scores keep label order, as the pipelines' sort does.
        ranked.sort(Comparator.comparingDouble(LabelScore::score).reversed());
        int keep = topK.isPresent() ? Math.min(topK.getAsInt(), ranked.size()) : ranked.size();
        return List.copyOf(ranked.subList(0, keep));
    }
}
