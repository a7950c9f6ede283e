/**
 * Text-detection post-processing (DB-style maps to boxes) and crop geometry for OCR. May import
 * processing.image.
 */
package io.infera.processing.ocr;
