/**
 * Autoregressive generation: continuous batching of decoder steps, the seq2seq batcher, KV caches,
 * logits processors, greedy/sampling/beam search. May import batching, runtime and errors.
 */
package io.infera.generation;
