/**
 * Micrometer meters: request, stage, batch and generation metrics, and the observers the stages
 * report to. May import registry, tasks, batching and generation.
 */
package io.infera.metrics;
