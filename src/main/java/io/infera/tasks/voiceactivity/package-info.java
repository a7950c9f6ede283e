/**
 * The voice activity detection task: a recurrent speech detector (Silero VAD) run over whole
 * clips chunk by chunk with its state carried, its probabilities turned into speech segments.
 * May import tasks, processing, batching, runtime and errors.
 */
package io.infera.tasks.voiceactivity;
