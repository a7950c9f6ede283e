/**
 * Speech recognition: CTC models (one pass per clip or chunk) and Whisper-style encoder-decoders
 * (decoded on the seq2seq generation loop), their pre- and post-processing equal to the
 * transformers pipeline on the same model, and utterance cutting by a voice activity detector.
 * May import tasks, processing, batching, generation, runtime and errors (and, for composed tasks,
 * the task packages they build on).
 */
package io.infera.tasks.speechrecognition;
