package io.infera.processing.image;

import java.util.Arrays;

/**
 * Pillow's resampling filters, numbered as Pillow numbers them (the {@code resample} field of
 * preprocessor_config.json). Each has the filter function and support Pillow's Resample.c uses.
 */
public enum Resampling {
    NEAREST(0, 0.0),
    LANCZOS(1, 3.0),
    BILINEAR(2, 1.0),
    BICUBIC(3, 2.0),
    BOX(4, 0.5),
    HAMMING(5, 1.0);

    private final int pillowCode;
    private final double support;

    Resampling(int pillowCode, double support) {
        this.pillowCode = pillowCode;
        this.support = support;
    }

    public static Resampling fromPillowCode(int code) {
        return Arrays.stream(values())
                .filter(r -> r.pillowCode == code)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "preprocessor_config.json resample " + code + " is not a Pillow filter"));
    }

    double support() {
        return support;
    }

    double weight(double x) {
        return switch (this) {
            case NEAREST -> throw new IllegalStateException("nearest neighbour has no filter weights");
            case BOX -> x > -0.5 && x <= 0.5 ? 1.0 : 0.0;
            case BILINEAR -> Math.max(0.0, 1.0 - Math.abs(x));
            case HAMMING -> hamming(Math.abs(x));
            case BICUBIC -> bicubic(Math.abs(x));
            case LANCZOS -> -3.0 <= x && x < 3.0 ? sinc(x) * sinc(x / 3.0) : 0.0;
        };
    }

    private static double bicubic(double x) {
        final double a = -0.5;
        if (x < 1.0) {
            return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        }
        if (x < 2.0) {
            return (((x - 5) * x + 8) * x - 4) * a;
        }
        return 0.0;
    }

    private static double hamming(double x) {
        if (x == 0.0) {
            return 1.0;
        }
        if (x >= 1.0) {
            return 0.0;
        }
        x = x * Math.PI;
        return Math.sin(x) / x * (0.54 + 0.46 * Math.cos(x));
    }

    private static double sinc(double x) {
        if (x == 0.0) {
            return 1.0;
        }
        x = x * Math.PI;
        return Math.sin(x) / x;
    }
}
