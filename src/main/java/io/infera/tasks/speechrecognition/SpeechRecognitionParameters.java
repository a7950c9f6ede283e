package io.infera.tasks.speechrecognition;

/**
 * @param timestamps null, "char" or "word": the chunks to return with their times
 * @param chunks     long audio in overlapping chunks (chunk_length_s, stride_length_s), null for none
 * @param beamWidth  0 for greedy decoding (the pipeline's), else the width of a CTC prefix beam search
 */
public record SpeechRecognitionParameters(String timestamps, AudioChunks chunks, int beamWidth) {}
