package io.infera.tasks.tokenclassification;

/** How token predictions become entities, as the transformers pipeline's {@code aggregation_strategy}. */
public enum AggregationStrategy {
    /** One entity per token, nothing merged. */
    NONE,
    /** Adjacent tokens with the same tag (B-/I- aware) merged into groups. */
    SIMPLE,
    /** A word takes its first token's tag, then words are grouped. */
    FIRST,
    /** A word takes the tag its tokens average highest on, then words are grouped. */
    AVERAGE,
    /** A word takes the tag of its single most confident token, then words are grouped. */
    MAX
}
