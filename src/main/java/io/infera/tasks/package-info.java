/**
 * Tasks: each turns requests into model rows and model outputs into answers equal to the
 * transformers pipeline; Tasks creates a model's task (TaskModel) whatever its type, TaskPipeline
 * runs one-pass tasks through a scheduler. May import batching, generation, processing, runtime
 * and errors (and the task packages, which Tasks registers).
 */
package io.infera.tasks;
