package io.infera.processing.audio;

import io.infera.errors.InvalidInputException;
import io.infera.errors.PayloadTooLargeException;
import io.infera.errors.UnsupportedMediaTypeException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * WAV (RIFF) decoding in Java: PCM 8 (unsigned), 16, 24 and 32-bit and IEEE float32, any number
 * of channels mixed down to mono by their mean, samples scaled as libsndfile reads them into
 * float (int16 / 32768 ...). Sizes in the headers are never trusted for allocation: only the
 * bytes actually present are read, and the duration limit is checked before converting.
 */
public final class WavDecoder {

    private static final int PCM = 1;
    private static final int IEEE_FLOAT = 3;
    private static final int EXTENSIBLE = 0xFFFE;

    private final double maxSeconds;

    /** @param maxSeconds the longest audio accepted (413 beyond) */
    public WavDecoder(double maxSeconds) {
        this.maxSeconds = maxSeconds;
    }

    public static boolean isWav(byte[] b) {
        return b.length >= 12 && ascii(b, 0).equals("RIFF") && ascii(b, 8).equals("WAVE");
    }

    /** @param field the request field the bytes came from, named in errors */
    public Audio decode(byte[] bytes, String field) {
        if (!isWav(bytes)) {
            throw new UnsupportedMediaTypeException(field + ": not a WAV file");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int format = -1;
        int channels = 0;
        int rate = 0;
        int bits = 0;
        int dataStart = -1;
        int dataLength = 0;
        int pos = 12;
        while (pos <= bytes.length - 8) { // not pos + 8: a chunk size near 2^31 puts pos at Integer.MAX_VALUE
            String id = ascii(bytes, pos);
            long size = Integer.toUnsignedLong(b.getInt(pos + 4));
            int body = pos + 8;
            int available = (int) Math.min(size, bytes.length - body);
            if (id.equals("fmt ") && available >= 16) {
                format = Short.toUnsignedInt(b.getShort(body));
                channels = Short.toUnsignedInt(b.getShort(body + 2));
                rate = b.getInt(body + 4);
                bits = Short.toUnsignedInt(b.getShort(body + 14));
                if (format == EXTENSIBLE && available >= 26) {
                    format = Short.toUnsignedInt(
                            b.getShort(body + 24)); // the sub-format GUID starts with the format code
                }
            } else if (id.equals("data")) {
                dataStart = body;
                dataLength = available; // a header may claim gigabytes in a few bytes: read what is there
                break;
            }
            pos = body + (int) Math.min(size + (size & 1), Integer.MAX_VALUE - body);
            if (pos < 0) {
                break;
            }
        }
        if (format < 0 || dataStart < 0) {
            throw new InvalidInputException(field, "WAV file without " + (format < 0 ? "a fmt" : "a data") + " chunk");
        }
        if (channels < 1 || rate < 1) {
            throw new InvalidInputException(field, "WAV file declares " + channels + " channels at " + rate + " Hz");
        }
        boolean supported = (format == PCM && (bits == 8 || bits == 16 || bits == 24 || bits == 32))
                || (format == IEEE_FLOAT && bits == 32);
        if (!supported) {
            throw new UnsupportedMediaTypeException(field + ": WAV format " + format + " with " + bits
                    + "-bit samples is not supported (PCM 8/16/24/32-bit or float32)");
        }
        int frameBytes = channels * bits / 8;
        int frames = dataLength / frameBytes;
        if ((double) frames / rate > maxSeconds) {
            throw new PayloadTooLargeException(
                    field,
                    String.format(
                            java.util.Locale.ROOT,
                            "audio is %.1f s long, more than the limit of %.1f s",
                            (double) frames / rate,
                            maxSeconds));
        }
        float[] mono = new float[frames];
        for (int f = 0; f < frames; f++) {
            float sum = 0;
            for (int c = 0; c < channels; c++) {
                sum += sample(b, dataStart + f * frameBytes + c * bits / 8, format, bits);
            }
            mono[f] = channels == 1 ? sum : sum / channels;
        }
        return new Audio(mono, rate);
    }

    private static float sample(ByteBuffer b, int at, int format, int bits) {
        if (format == IEEE_FLOAT) {
            return b.getFloat(at);
        }
        return switch (bits) {
            case 8 -> ((b.get(at) & 0xFF) - 128) / 128f;
            case 16 -> b.getShort(at) / 32768f;
            case 24 -> ((b.get(at) & 0xFF) | (b.get(at + 1) & 0xFF) << 8 | b.get(at + 2) << 16) / 8388608f;
            default -> (float) (b.getInt(at) / 2147483648.0);
        };
    }

    private static String ascii(byte[] b, int at) {
        return at + 4 <= b.length ? new String(b, at, 4, StandardCharsets.ISO_8859_1) : "";
    }
}
