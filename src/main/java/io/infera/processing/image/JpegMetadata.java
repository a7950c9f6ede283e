package io.infera.processing.image;

/**
 * What Infera reads from a JPEG's headers itself: the EXIF orientation (ImageIO ignores it, the
 * pipelines apply it with {@code exif_transpose}) and the number of colour components (ImageIO
 * cannot decode CMYK/YCCK). Parsing stops at the first scan; malformed headers read as "nothing".
 */
final class JpegMetadata {

    private static final int ORIENTATION_TAG = 0x0112;

    private JpegMetadata() {}

    /** The EXIF orientation, 1 (as stored) to 8; 1 when there is none. */
    static int orientation(byte[] b) {
        int pos = 2;
        while (pos + 4 <= b.length && (b[pos] & 0xFF) == 0xFF) {
            int marker = b[pos + 1] & 0xFF;
            int length = u16(b, pos + 2, true);
            if (marker == 0xDA || length < 2) {
                return 1;
            }
            if (marker == 0xE1
                    && pos + 10 <= b.length
                    && new String(b, pos + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1).equals("Exif")) {
                int value = tiffOrientation(b, pos + 10, Math.min(b.length, pos + 2 + length));
                if (value >= 1 && value <= 8) {
                    return value;
                }
                return 1;
            }
            pos += 2 + length;
        }
        return 1;
    }

    private static int tiffOrientation(byte[] b, int tiff, int end) {
        if (tiff + 8 > end) {
            return 1;
        }
        boolean bigEndian = b[tiff] == 'M';
        int ifd = tiff + (int) u32(b, tiff + 4, bigEndian);
        if (ifd + 2 > end || ifd < tiff) {
            return 1;
        }
        int entries = u16(b, ifd, bigEndian);
        for (int i = 0; i < entries; i++) {
            int entry = ifd + 2 + i * 12;
            if (entry + 12 > end) {
                return 1;
            }
            if (u16(b, entry, bigEndian) == ORIENTATION_TAG) {
                return u16(b, entry + 8, bigEndian);
            }
        }
        return 1;
    }

    /** The colour components of the first frame (1 grey, 3 YCbCr/RGB, 4 CMYK/YCCK), or 0 if unknown. */
    static int components(byte[] b) {
        int pos = 2;
        while (pos + 4 <= b.length && (b[pos] & 0xFF) == 0xFF) {
            int marker = b[pos + 1] & 0xFF;
            int length = u16(b, pos + 2, true);
            boolean startOfFrame =
                    marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (startOfFrame && pos + 9 < b.length) {
                return b[pos + 9] & 0xFF;
            }
            if (marker == 0xDA || length < 2) {
                return 0;
            }
            pos += 2 + length;
        }
        return 0;
    }

    private static int u16(byte[] b, int at, boolean bigEndian) {
        if (at + 2 > b.length) {
            return 0;
        }
        return bigEndian ? (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF) : (b[at + 1] & 0xFF) << 8 | (b[at] & 0xFF);
    }

    private static long u32(byte[] b, int at, boolean bigEndian) {
        if (at + 4 > b.length) {
            return 0;
        }
        return bigEndian
                ? ((long) u16(b, at, true) << 16) | u16(b, at + 2, true)
                : ((long) u16(b, at + 2, false) << 16) | u16(b, at, false);
    }
}
