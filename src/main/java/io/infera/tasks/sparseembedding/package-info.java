/**
 * The sparse embedding task (SPLADE-style): a masked-LM's logits become one weight per vocabulary
 * entry, the non-zero ones answered by token id. May import tasks, processing, batching, runtime and
 * errors.
 */
package io.infera.tasks.sparseembedding;
