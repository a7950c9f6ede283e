package io.infera.tasks.tokenclassification;

import io.infera.processing.Labels;
import io.infera.tasks.tokenclassification.Entities.Group;
import io.infera.tasks.tokenclassification.Entities.PreEntity;
import io.infera.tasks.tokenclassification.Entities.Span;
import io.infera.tasks.tokenclassification.Entities.Tagged;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * The transformers token-classification pipeline's postprocessing, step for step: per-token
 * scores to tagged tokens or words, B-/I- grouping, and merging the entities of overlapping
 * windows. Pure functions over one window's pre-entities.
 */
final class EntityAggregator {

    private final Labels labels;
    private final Function<List<String>, String> tokensToString;

    /**
     * @param tokensToString joins token strings into text as the tokenizer's decoder does
     */
    EntityAggregator(Labels labels, Function<List<String>, String> tokensToString) {
        this.labels = labels;
        this.tokensToString = tokensToString;
    }

    /** One window's entities under a strategy, before the ignored labels are dropped. */
    List<Span> aggregate(List<PreEntity> preEntities, AggregationStrategy strategy) {
        List<Tagged> tagged = new ArrayList<>();
        if (strategy == AggregationStrategy.NONE || strategy == AggregationStrategy.SIMPLE) {
            for (PreEntity p : preEntities) {
                int best = argmax(p.scores());
                tagged.add(new Tagged(labels.name(best), p.scores()[best], p.index(), p.word(), p.start(), p.end()));
            }
        } else {
            tagged = words(preEntities, strategy);
        }
        if (strategy == AggregationStrategy.NONE) {
            return List.copyOf(tagged);
        }
        return List.copyOf(group(tagged));
    }

    /** Tokens of one word (a token and the subwords after it) become one tagged word. */
    private List<Tagged> words(List<PreEntity> preEntities, AggregationStrategy strategy) {
        List<Tagged> words = new ArrayList<>();
        List<PreEntity> word = new ArrayList<>();
        for (PreEntity p : preEntities) {
            if (!word.isEmpty() && !p.subword()) {
                words.add(word(word, strategy));
                word = new ArrayList<>();
            }
            word.add(p);
        }
        if (!word.isEmpty()) {
            words.add(word(word, strategy));
        }
        return words;
    }

    private Tagged word(List<PreEntity> tokens, AggregationStrategy strategy) {
        String text = tokensToString.apply(tokens.stream().map(PreEntity::word).toList());
        float[] scores;
        switch (strategy) {
            case FIRST -> scores = tokens.getFirst().scores();
            case MAX -> {
                // The first token holding the highest single score wins ties, as Python's max() does.
                PreEntity best = tokens.getFirst();
                for (PreEntity t : tokens) {
                    if (max(t.scores()) > max(best.scores())) {
                        best = t;
                    }
                }
                scores = best.scores();
            }
            case AVERAGE -> {
                scores = new float[tokens.getFirst().scores().length];
                for (int k = 0; k < scores.length; k++) {
                    double sum = 0;
                    int count = 0;
                    for (PreEntity t : tokens) {
                        if (!Float.isNaN(t.scores()[k])) {
                            sum += t.scores()[k];
                            count++;
                        }
                    }
                    scores[k] = count == 0 ? Float.NaN : (float) (sum / count);
                }
            }
            default -> throw new IllegalArgumentException(strategy + " does not aggregate words");
        }
        int best = argmax(scores);
        return new Tagged(
                labels.name(best),
                scores[best],
                null,
                text,
                tokens.getFirst().start(),
                tokens.getLast().end());
    }

    /** Adjacent entities with the same tag merge unless the next one begins a new entity (B-). */
    private List<Group> group(List<Tagged> entities) {
        List<Group> groups = new ArrayList<>();
        List<Tagged> current = new ArrayList<>();
        for (Tagged entity : entities) {
            if (!current.isEmpty()) {
                Tag tag = Tag.of(entity.entity());
                Tag last = Tag.of(current.getLast().entity());
                if (!(tag.type().equals(last.type()) && !tag.begins())) {
                    groups.add(group(current.getFirst().entity(), current));
                    current = new ArrayList<>();
                }
            }
            current.add(entity);
        }
        if (!current.isEmpty()) {
            groups.add(group(current.getFirst().entity(), current));
        }
        return groups;
    }

    private Group group(String firstTag, List<Tagged> members) {
        String type = firstTag.contains("-") ? firstTag.substring(firstTag.indexOf('-') + 1) : firstTag;
        double sum = 0;
        int count = 0;
        for (Tagged m : members) {
            if (!Float.isNaN(m.score())) {
                sum += m.score();
                count++;
            }
        }
        float score = count == 0 ? Float.NaN : (float) (sum / count);
        String word = tokensToString.apply(members.stream().map(Tagged::word).toList());
        return new Group(
                type, score, word, members.getFirst().start(), members.getLast().end());
    }

    /**
     * The entities of overlapping windows merged: sorted by start, of two that overlap the longer
     * wins, or at equal length the higher score.
     */
    static List<Span> mergeOverlapping(List<Span> entities) {
        if (entities.isEmpty()) {
            return entities;
        }
        List<Span> sorted = new ArrayList<>(entities);
        sorted.sort(Comparator.comparingInt(Span::start)); // stable, as Python's sorted
        List<Span> merged = new ArrayList<>();
        Span previous = sorted.getFirst();
        for (Span entity : sorted) {
            if (previous.start() <= entity.start() && entity.start() < previous.end()) {
                int length = entity.end() - entity.start();
                int previousLength = previous.end() - previous.start();
                if (length > previousLength || length == previousLength && entity.score() > previous.score()) {
                    previous = entity;
                }
            } else {
                merged.add(previous);
                previous = entity;
            }
        }
        merged.add(previous);
        return merged;
    }

    /** B-/I- prefix and entity type; a tag without prefix counts as inside (I-). */
    private record Tag(boolean begins, String type) {
        static Tag of(String label) {
            if (label.startsWith("B-")) {
                return new Tag(true, label.substring(2));
            }
            if (label.startsWith("I-")) {
                return new Tag(false, label.substring(2));
            }
            return new Tag(false, label);
        }
    }

    static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    private static float max(float[] values) {
        return values[argmax(values)];
    }
}
