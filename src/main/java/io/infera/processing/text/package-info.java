/**
 * Tokenization with the Rust tokenizers through DJL, encoding texts into model rows, and the text-
 * side limits. May import runtime and batching (the rows it builds).
 */
package io.infera.processing.text;
