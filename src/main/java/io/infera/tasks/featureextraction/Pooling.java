package io.infera.tasks.featureextraction;

/** How token vectors become one text vector. */
public enum Pooling {
    /** Every real token's vector, as the transformers feature-extraction pipeline returns them. */
    NONE,
    /** The mean over real tokens (attention mask 1), sentence-transformers' default. */
    MEAN,
    /** The first token's vector ([CLS]). */
    CLS
}
