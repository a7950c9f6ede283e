/**
 * The image-to-text recognition (CTC text recognisers) task: its pre- and post-processing, equal
 * to the transformers pipeline on the same model. May import tasks, processing, batching, runtime
 * and errors (and, for composed tasks, the task packages they build on).
 */
package io.infera.tasks.imagetotext;
