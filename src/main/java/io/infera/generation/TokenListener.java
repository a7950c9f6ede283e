package io.infera.generation;

/**
 * Told of each token as a sequence grows (streaming uses it) and asked whether the text so far ends
 * the sequence (stop strings). Called on the generation thread: it must be quick and not block.
 */
public interface TokenListener {

    TokenListener NONE = tokens -> false;

    /**
     * @param generated every token generated so far, the newest last
     * @return true when the sequence is complete (a stop string appeared)
     */
    boolean onToken(int[] generated);
}
