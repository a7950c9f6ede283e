package io.infera.processing;

/** One class and its score, the element of every classification answer. */
public record LabelScore(String label, double score) {}
