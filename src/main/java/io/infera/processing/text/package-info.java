/**
 * Tokenization with the Rust tokenizers through DJL (encodings with offsets, decoding, chat
 * templates) and the text-side limits. Knows nothing of batches or tasks: the tasks turn its
 * encodings into model rows. Imports no other Infera package.
 */
package io.infera.processing.text;
