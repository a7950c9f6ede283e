/**
 * Detection post-processing: box formats, non-maximum suppression, anchors. Imports nothing of
 * Infera.
 */
package io.infera.processing.detection;
