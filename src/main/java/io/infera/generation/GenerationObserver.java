package io.infera.generation;

/** What a generation loop reports to metrics. */
public interface GenerationObserver {

    GenerationObserver NONE = new GenerationObserver() {};

    /** A sequence produced its first token this long after it was submitted. */
    default void firstToken(long nanos) {}

    /** A sequence produced a token this long after its previous one. */
    default void interToken(long nanos) {}

    /** One model step ran {@code sequences} sequences and produced one token for each, in {@code nanos}. */
    default void step(int sequences, long nanos) {}

    /** Sequences running and waiting, after a step. */
    default void occupancy(int running, int waiting) {}
}
