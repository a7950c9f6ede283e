/**
 * Tasks: each turns requests into model rows and model outputs into answers equal to the
 * transformers pipeline; Tasks creates them, TaskPipeline runs them through a scheduler. May
 * import batching, processing, runtime and errors.
 */
package io.infera.tasks;
