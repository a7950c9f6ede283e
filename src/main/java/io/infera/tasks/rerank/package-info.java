/**
 * The rerank task: a cross-encoder scores (query, text) pairs, each pair a row of the batcher, and
 * the texts come back best first, as sentence-transformers' CrossEncoder.rank ranks them. May import
 * tasks, processing, batching, runtime and errors.
 */
package io.infera.tasks.rerank;
