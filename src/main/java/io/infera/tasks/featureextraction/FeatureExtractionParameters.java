package io.infera.tasks.featureextraction;

/**
 * @param pooling   how token vectors are combined
 * @param normalize whether the result is scaled to unit L2 length
 */
public record FeatureExtractionParameters(Pooling pooling, boolean normalize) {}
