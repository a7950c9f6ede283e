/**
 * The dynamic batcher: rows from concurrent requests planned into batches (buckets, token budget,
 * deadlines, queue limits), collated, run on backend instances and split back. May import runtime
 * and errors only.
 */
package io.infera.batching;
