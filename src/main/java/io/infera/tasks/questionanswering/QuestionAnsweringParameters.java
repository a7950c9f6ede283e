package io.infera.tasks.questionanswering;

/**
 * @param topK                   answers returned (one gives an object, more a list)
 * @param maxAnswerLength        longest answer in tokens
 * @param handleImpossibleAnswer whether "no answer" (the [CLS] span) competes with the spans
 * @param maxSequenceLength      tokens per window, question included
 * @param documentStride         tokens of context shared by consecutive windows
 * @param alignToWords           answers cover whole words
 */
public record QuestionAnsweringParameters(
        int topK,
        int maxAnswerLength,
        boolean handleImpossibleAnswer,
        int maxSequenceLength,
        int documentStride,
        boolean alignToWords) {}
