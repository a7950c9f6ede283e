package io.infera.tasks.speechrecognition;

/**
 * @param timestamps   null, "char" or "word": the chunks to return with their times
 * @param chunkSamples samples per chunk of long audio, 0 for none (from chunk_length_s)
 * @param strideLeft   samples of context each chunk shares with the one before (from stride_length_s)
 * @param strideRight  samples of context each chunk shares with the one after
 * @param beamWidth    0 for greedy decoding (the pipeline's), else the width of a CTC prefix beam search
 */
public record SpeechRecognitionParameters(
        String timestamps, int chunkSamples, int strideLeft, int strideRight, int beamWidth) {}
