package io.infera.tasks.featureextraction;

import java.util.OptionalInt;

/**
 * @param pooling    how token vectors are combined
 * @param normalize  whether the result is scaled to unit L2 length
 * @param dimensions where a Matryoshka model's vector is cut (then re-normalised when normalising)
 * @param prompt     the text put before every input (a named prompt), or the empty prompt
 * @param truncate   whether an input over the model's limit is cut to it (else refused)
 */
public record FeatureExtractionParameters(
        Pooling pooling, boolean normalize, OptionalInt dimensions, Prompt prompt, boolean truncate) {

    /**
     * A prompt and, when the model's pooling leaves it out (include_prompt: false), the number of
     * leading tokens it takes (sentence-transformers counts them with the end token left off).
     */
    public record Prompt(String text, int pooledFrom) {
        public static final Prompt NONE = new Prompt("", 0);
    }
}
