package io.infera.processing.audio;

/**
 * Band-limited resampling by windowed-sinc interpolation, the algorithm of torchaudio's
 * {@code functional.resample} (method sinc_interp_hann: lowpass width 6 zero crossings, rolloff
 * 0.99), which the transformers audio pipelines call: the ratio is reduced to integers
 * orig/new, and each of the {@code new} output phases is a Hann-windowed sinc filter cut at 0.99
 * of the lower Nyquist frequency, applied with stride {@code orig}.
 */
public final class Resampler {

    private static final int LOWPASS_WIDTH = 6;
    private static final double ROLLOFF = 0.99;

    /**
     * The most filter coefficients one conversion may build (8 MB). Common rates reduce to small
     * ratios (44100 -> 16000 is 441/160: 76k coefficients); a rate such as 44101 Hz does not
     * (16000 phases x 44135 taps, 5.6 GB) and is refused rather than attempted.
     */
    public static final long MAX_FILTER_COEFFICIENTS = 1L << 20;

    private Resampler() {}

    /** How many filter coefficients converting between these rates takes (see {@link #MAX_FILTER_COEFFICIENTS}). */
    public static long filterCoefficients(int fromRate, int toRate) {
        int gcd = gcd(fromRate, toRate);
        int orig = fromRate / gcd;
        int next = toRate / gcd;
        return (long) next * taps(orig, next);
    }

    private static int taps(int orig, int next) {
        double base = Math.min(orig, next) * ROLLOFF;
        return 2 * (int) Math.ceil(LOWPASS_WIDTH * orig / base) + orig;
    }

    public static float[] resample(float[] input, int fromRate, int toRate) {
        if (fromRate == toRate) {
            return input.clone();
        }
        if (filterCoefficients(fromRate, toRate) > MAX_FILTER_COEFFICIENTS) {
            throw new IllegalArgumentException("resampling " + fromRate + " Hz to " + toRate + " Hz needs "
                    + filterCoefficients(fromRate, toRate) + " filter coefficients");
        }
        int gcd = gcd(fromRate, toRate);
        int orig = fromRate / gcd;
        int next = toRate / gcd;
        double base = Math.min(orig, next) * ROLLOFF;
        int width = (int) Math.ceil(LOWPASS_WIDTH * orig / base);
        int taps = taps(orig, next);
        double[][] kernels = new double[next][taps];
        double scale = base / orig;
        for (int phase = 0; phase < next; phase++) {
            for (int k = 0; k < taps; k++) {
                double t = ((double) -phase / next + (double) (k - width) / orig) * base;
                t = Math.max(-LOWPASS_WIDTH, Math.min(LOWPASS_WIDTH, t));
                double window = Math.pow(Math.cos(t * Math.PI / LOWPASS_WIDTH / 2), 2);
                double x = t * Math.PI;
                double sinc = x == 0 ? 1.0 : Math.sin(x) / x;
                kernels[phase][k] = sinc * window * scale;
            }
        }
        // The input padded with width zeros before and width + orig after, read with stride orig.
        int length = input.length;
        int frames = (length + 2 * width + orig - taps) / orig + 1;
        int target = (int) Math.ceil((double) next * length / orig);
        float[] out = new float[target];
        for (int f = 0; f < frames; f++) {
            for (int phase = 0; phase < next; phase++) {
                int index = f * next + phase;
                if (index >= target) {
                    return out;
                }
                double sum = 0;
                int start = f * orig - width;
                double[] kernel = kernels[phase];
                for (int k = 0; k < taps; k++) {
                    int i = start + k;
                    if (i >= 0 && i < length) {
                        sum += input[i] * kernel[k];
                    }
                }
                out[index] = (float) sum;
            }
        }
        return out;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
