/**
 * The text generation and text-to-text generation tasks: prompts and sources tokenized, the
 * generation package's batchers continue them, answers equal to the transformers pipeline on the
 * same model. May import tasks, generation, processing, batching, runtime and errors.
 */
package io.infera.tasks.textgeneration;
