/**
 * Scoring files without the server: the score command and the Spark job, over the same pipelines
 * the server runs. May import registry, tasks, batching, generation, runtime, processing.audio and
 * errors; never the server or Quarkus.
 */
package io.infera.offline;
