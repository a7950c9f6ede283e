/**
 * Pictures of answers (boxes, masks, OCR lines drawn on the input image) for the render=png
 * option. May import processing, processing.image and tasks.
 */
package io.infera.render;
