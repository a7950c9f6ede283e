package io.infera.processing.audio;

/**
 * Whisper's log-mel features, as transformers' WhisperFeatureExtractor computes them with torch:
 * the clip padded (or cut) to a fixed number of samples, a centred short-time Fourier transform
 * with reflect padding and a periodic Hann window, power spectrum, slaney-normalised mel filters
 * on the slaney mel scale, log10 clamped at 1e-10, floored at the maximum minus 8, then (x + 4) / 4.
 *
 * @param nFft      FFT size (400)
 * @param hop       hop length (160)
 * @param mels      mel bands (80 or 128)
 * @param samples   the clip length features are computed on (480000: 30 s at 16 kHz)
 * @param rate      sampling rate
 */
public record LogMelSpectrogram(int nFft, int hop, int mels, int samples, int rate) {

    /** [mels, frames] row-major, frames = samples / hop. */
    public float[] compute(float[] clip) {
        float[] x = new float[samples];
        System.arraycopy(clip, 0, x, 0, Math.min(clip.length, samples));
        int pad = nFft / 2;
        int frames = samples / hop; // torch gives samples / hop + 1 frames; Whisper drops the last
        int bins = nFft / 2 + 1;
        double[] window = new double[nFft];
        for (int i = 0; i < nFft; i++) {
            window[i] = (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * i / nFft)); // torch.hann_window, periodic, float32
        }
        double[] cos = new double[nFft];
        double[] sin = new double[nFft];
        for (int i = 0; i < nFft; i++) {
            cos[i] = Math.cos(2 * Math.PI * i / nFft);
            sin[i] = Math.sin(2 * Math.PI * i / nFft);
        }
        float[][] filters = melFilters(bins);
        float[] power = new float[bins];
        double[] frame = new double[nFft];
        float[] out = new float[mels * frames];
        for (int f = 0; f < frames; f++) {
            for (int i = 0; i < nFft; i++) {
                int index = f * hop + i - pad;
                // Reflect padding: -1 -> 1, n -> n - 2.
                if (index < 0) {
                    index = -index;
                } else if (index >= samples) {
                    index = 2 * (samples - 1) - index;
                }
                frame[i] = x[index] * window[i];
            }
            for (int k = 0; k < bins; k++) {
                double re = 0;
                double im = 0;
                for (int i = 0; i < nFft; i++) {
                    int phase = (int) ((long) k * i % nFft);
                    re += frame[i] * cos[phase];
                    im -= frame[i] * sin[phase];
                }
                power[k] = (float) (re * re + im * im);
            }
            for (int m = 0; m < mels; m++) {
                double sum = 0;
                float[] filter = filters[m];
                for (int k = 0; k < bins; k++) {
                    sum += filter[k] * power[k];
                }
                out[m * frames + f] = (float) Math.log10(Math.max(sum, 1e-10));
            }
        }
        float max = Float.NEGATIVE_INFINITY;
        for (float v : out) {
            max = Math.max(max, v);
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = (Math.max(out[i], max - 8f) + 4f) / 4f;
        }
        return out;
    }

    /** transformers' mel_filter_bank(norm="slaney", mel_scale="slaney") from 0 Hz to the Nyquist frequency, [mels][bins]. */
    private float[][] melFilters(int bins) {
        double melMin = hertzToMel(0);
        double melMax = hertzToMel(rate / 2.0);
        double[] edges = new double[mels + 2];
        for (int i = 0; i < edges.length; i++) {
            edges[i] = melToHertz(melMin + (melMax - melMin) * i / (mels + 1));
        }
        double[] fft = new double[bins];
        for (int k = 0; k < bins; k++) {
            fft[k] = (double) (rate / 2) * k / (bins - 1);
        }
        float[][] filters = new float[mels][bins];
        for (int m = 0; m < mels; m++) {
            double enorm = 2.0 / (edges[m + 2] - edges[m]);
            for (int k = 0; k < bins; k++) {
                double down = (fft[k] - edges[m]) / (edges[m + 1] - edges[m]);
                double up = (edges[m + 2] - fft[k]) / (edges[m + 2] - edges[m + 1]);
                filters[m][k] = (float) (Math.max(0, Math.min(down, up)) * enorm);
            }
        }
        return filters;
    }

    private static final double MIN_LOG_HERTZ = 1000.0;
    private static final double MIN_LOG_MEL = 15.0;
    private static final double LOG_STEP = 27.0 / Math.log(6.4);

    static double hertzToMel(double hertz) {
        return hertz < MIN_LOG_HERTZ ? 3.0 * hertz / 200.0 : MIN_LOG_MEL + Math.log(hertz / MIN_LOG_HERTZ) * LOG_STEP;
    }

    static double melToHertz(double mel) {
        return mel < MIN_LOG_MEL ? 200.0 * mel / 3.0 : MIN_LOG_HERTZ * Math.exp((mel - MIN_LOG_MEL) / LOG_STEP);
    }
}
