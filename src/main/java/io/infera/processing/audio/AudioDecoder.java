package io.infera.processing.audio;

import io.infera.errors.InvalidInputException;
import io.infera.errors.UnsupportedMediaTypeException;
import java.util.Optional;

/**
 * Audio bytes to mono samples at a model's rate: WAV in Java ({@link WavDecoder}, resampled by
 * {@link Resampler}), every other container through ffmpeg when the server has one (it decodes
 * and resamples, as the transformers pipelines do), else 415.
 *
 * @param maxSeconds the longest audio accepted (413 beyond)
 * @param ffmpeg     the decoder for non-WAV containers, absent when ffmpeg is not installed or is turned off
 */
public record AudioDecoder(double maxSeconds, Optional<FfmpegDecoder> ffmpeg) {

    /** WAV only. */
    public static AudioDecoder wavOnly(double maxSeconds) {
        return new AudioDecoder(maxSeconds, Optional.empty());
    }

    /**
     * @param field the request field the bytes came from, named in errors
     * @param rate  the model's sampling rate
     */
    public Audio decode(byte[] bytes, String field, int rate) {
        if (WavDecoder.isWav(bytes)) {
            try {
                return resampled(new WavDecoder(maxSeconds).decode(bytes, field), rate, field);
            } catch (UnsupportedMediaTypeException e) {
                // a WAV codec the Java decoder lacks (ADPCM, A-law ...): ffmpeg may know it
                return ffmpeg.orElseThrow(() -> e).decode(bytes, field, rate, maxSeconds);
            }
        }
        return ffmpeg.orElseThrow(() -> new UnsupportedMediaTypeException(field + ": not a WAV file; other containers "
                        + "(FLAC, MP3, OGG, M4A) are decoded with ffmpeg, which this server does not have"))
                .decode(bytes, field, rate, maxSeconds);
    }

    /** The audio at this rate: itself, or resampled (refused where the filter would be too long). */
    public static Audio resampled(Audio audio, int rate, String field) {
        if (audio.sampleRate() == rate) {
            return audio;
        }
        if (Resampler.filterCoefficients(audio.sampleRate(), rate) > Resampler.MAX_FILTER_COEFFICIENTS) {
            throw new InvalidInputException(
                    field,
                    "a WAV sampled at " + audio.sampleRate() + " Hz cannot be resampled to the model's " + rate
                            + " Hz at a bounded cost; send " + rate
                            + " Hz or a common rate (8000, 11025, 22050, 32000, 44100, 48000 ...)");
        }
        return new Audio(Resampler.resample(audio.samples(), audio.sampleRate(), rate), rate);
    }
}
