package io.infera.processing.audio;

/** Mono audio as float samples in [-1, 1] at a sampling rate. */
public record Audio(float[] samples, int sampleRate) {

    public double seconds() {
        return (double) samples.length / sampleRate;
    }
}
