package io.infera.tasks.ocr;

/**
 * One line of a page as OCR answers it.
 *
 * @param text  what the recogniser read
 * @param score the mean probability of its characters
 * @param box   the line's quadrilateral in the picture's pixels, [x, y] clockwise from the top left
 */
public record TextLine(String text, float score, int[][] box) {}
