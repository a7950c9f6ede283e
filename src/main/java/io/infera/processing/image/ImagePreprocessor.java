package io.infera.processing.image;

import io.infera.runtime.Tensor;

/**
 * Turns a decoded picture into a model's {@code pixel_values}: resize, centre crop, rescale and
 * normalise, in the order and with the arithmetic of the transformers PIL-backend processors
 * (8-bit resize and crop, then float32 rescale and normalise), channels first (red, green, blue,
 * or blue, green, red where the configuration says so).
 */
public final class ImagePreprocessor {

    private final ImageProcessorConfig config;

    public ImagePreprocessor(ImageProcessorConfig config) {
        this.config = config;
    }

    /** A {@code [3, height, width]} FP32 tensor. */
    public Tensor pixelValues(RgbImage image) {
        RgbImage sized = crop(resize(image));
        return Tensor.of(normalise(sized), 3, sized.height(), sized.width());
    }

    /** @throws IllegalArgumentException when a side would resize to 0 pixels */
    RgbImage resize(RgbImage image) {
        return switch (config.resize()) {
            case null -> image;
            case ImageProcessorConfig.ResizeRule.Exact exact ->
                PillowResizer.resize(image, exact.width(), exact.height(), config.resample());
            case ImageProcessorConfig.ResizeRule.ShortestEdge edge -> shortestEdge(image, edge.shortestEdge());
            case ImageProcessorConfig.ResizeRule.ShortestLongestEdge edges -> {
                int[] size = shortestLongest(image.height(), image.width(), edges.shortestEdge(), edges.longestEdge());
                yield PillowResizer.resize(image, size[1], size[0], config.resample());
            }
            case ImageProcessorConfig.ResizeRule.LimitSide limit -> {
                int longer = Math.max(image.width(), image.height());
                double ratio = longer > limit.limit() ? (double) limit.limit() / longer : 1.0;
                yield PillowResizer.resize(
                        image,
                        multipleOf(image.width() * ratio, limit.multiple()),
                        multipleOf(image.height() * ratio, limit.multiple()),
                        config.resample());
            }
            case ImageProcessorConfig.ResizeRule.MaxHeightWidth box -> {
                double scale =
                        Math.min((double) box.maxHeight() / image.height(), (double) box.maxWidth() / image.width());
                yield PillowResizer.resize(
                        image, (int) (image.width() * scale), (int) (image.height() * scale), config.resample());
            }
            case ImageProcessorConfig.ResizeRule.ShortestEdgeDivisible vilt -> divisible(image, vilt);
            case ImageProcessorConfig.ResizeRule.Letterbox box -> letterbox(image, box, placement(image, null));
            case ImageProcessorConfig.ResizeRule.FixedHeight line ->
                PillowResizer.resize(
                        image,
                        (int) Math.ceil((double) line.height() * image.width() / image.height()),
                        line.height(),
                        config.resample());
            case ImageProcessorConfig.ResizeRule.ConvNextCrop convNext -> {
                int edge = convNext.shortestEdge();
                if (edge >= 384) {
                    yield PillowResizer.resize(image, edge, edge, config.resample());
                }
                yield centreCrop(shortestEdge(image, (int) (edge / convNext.cropPct())), edge, edge);
            }
        };
    }

    /**
     * transformers' get_size_with_aspect_ratio: {height, width} with the shorter side {@code shortest},
     * or, where the longer would pass {@code longest}, the longer side {@code longest} (the shorter
     * rounded half to even, the longer truncated from the unrounded size, as it computes them).
     */
    static int[] shortestLongest(int height, int width, int shortest, int longest) {
        double rawSize = -1;
        int size = shortest;
        double shorterSide = Math.min(height, width);
        double longerSide = Math.max(height, width);
        if (longerSide / shorterSide * size > longest) {
            rawSize = longest * shorterSide / longerSide;
            size = (int) Math.rint(rawSize);
        }
        if ((height <= width && height == size) || (width <= height && width == size)) {
            return new int[] {height, width};
        }
        double scaled = rawSize >= 0 ? rawSize : size;
        return width < height
                ? new int[] {(int) (scaled * height / width), size}
                : new int[] {size, (int) (scaled * width / height)};
    }

    /** A side rounded (half to even, as Python's round) to a multiple, at least one multiple. */
    private static int multipleOf(double side, int multiple) {
        return Math.max((int) Math.rint(side / multiple) * multiple, multiple);
    }

    /** The shorter side becomes {@code edge}; the longer is scaled and truncated, as transformers does. */
    private RgbImage shortestEdge(RgbImage image, int edge) {
        int width = image.width();
        int height = image.height();
        int shorter = Math.min(width, height);
        int longer = Math.max(width, height);
        int newLonger = (int) ((long) edge * longer / (double) shorter);
        return width <= height
                ? PillowResizer.resize(image, edge, newLonger, config.resample())
                : PillowResizer.resize(image, newLonger, edge, config.resample());
    }

    /**
     * Where the picture lands in the model's input: input = original x scale + offset per axis.
     * Resizes without a crop stretch each axis; a letterbox scales both by one factor and centres.
     */
    public Placement placement(RgbImage image, Tensor pixels) {
        if (config.resize() instanceof ImageProcessorConfig.ResizeRule.Letterbox box) {
            double r = Math.min((double) box.height() / image.height(), (double) box.width() / image.width());
            int width = (int) Math.rint(image.width() * r);
            int height = (int) Math.rint(image.height() * r);
            // ultralytics' split of the padding: round(d - 0.1) before, the rest after.
            int left = (int) Math.rint((box.width() - width) / 2.0 - 0.1);
            int top = (int) Math.rint((box.height() - height) / 2.0 - 0.1);
            return new Placement(r, r, left, top, width, height);
        }
        int width = pixels.dim(2);
        int height = pixels.dim(1);
        return new Placement((double) width / image.width(), (double) height / image.height(), 0, 0, width, height);
    }

    /**
     * @param scaleX input pixels per original pixel, across
     * @param offsetX where the picture starts in the input, across
     * @param width   the picture's width inside the input
     */
    public record Placement(double scaleX, double scaleY, int offsetX, int offsetY, int width, int height) {}

    private RgbImage letterbox(RgbImage image, ImageProcessorConfig.ResizeRule.Letterbox box, Placement at) {
        RgbImage scaled = PillowResizer.resize(image, at.width(), at.height(), config.resample());
        byte[] canvas = new byte[box.width() * box.height() * 3];
        java.util.Arrays.fill(canvas, (byte) 114);
        for (int y = 0; y < scaled.height(); y++) {
            System.arraycopy(
                    scaled.pixels(),
                    y * scaled.width() * 3,
                    canvas,
                    ((y + at.offsetY()) * box.width() + at.offsetX()) * 3,
                    scaled.width() * 3);
        }
        return new RgbImage(box.width(), box.height(), canvas);
    }

    /** ViLT's get_resize_output_image_size, in its double arithmetic; a side that rounds to 0 cannot be used. */
    private RgbImage divisible(RgbImage image, ImageProcessorConfig.ResizeRule.ShortestEdgeDivisible rule) {
        int shorter = rule.shortestEdge();
        int longer = (int) (1333.0 / 800 * shorter);
        double scale = (double) shorter / Math.min(image.height(), image.width());
        double height;
        double width;
        if (image.height() < image.width()) {
            height = shorter;
            width = scale * image.width();
        } else {
            height = scale * image.height();
            width = shorter;
        }
        if (Math.max(height, width) > longer) {
            double shrink = longer / Math.max(height, width);
            height = shrink * height;
            width = shrink * width;
        }
        int h = (int) (height + 0.5) / rule.sizeDivisor() * rule.sizeDivisor();
        int w = (int) (width + 0.5) / rule.sizeDivisor() * rule.sizeDivisor();
        return PillowResizer.resize(image, w, h, config.resample());
    }

    private RgbImage crop(RgbImage image) {
        return config.cropHeight() > 0 ? centreCrop(image, config.cropHeight(), config.cropWidth()) : image;
    }

    /**
     * Centre crop, offset by floor((side - crop) / 2) as transformers computes it; where the image
     * is smaller than the crop, the uncovered pixels stay black (transformers' zero padding).
     */
    static RgbImage centreCrop(RgbImage image, int height, int width) {
        int top = Math.floorDiv(image.height() - height, 2);
        int left = Math.floorDiv(image.width() - width, 2);
        byte[] out = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            int sy = y + top;
            if (sy < 0 || sy >= image.height()) {
                continue;
            }
            for (int x = 0; x < width; x++) {
                int sx = x + left;
                if (sx >= 0 && sx < image.width()) {
                    System.arraycopy(image.pixels(), (sy * image.width() + sx) * 3, out, (y * width + x) * 3, 3);
                }
            }
        }
        return new RgbImage(width, height, out);
    }

    /** Channels-first floats: float32(sample * factor), then (value - mean) / std in float32. */
    private float[] normalise(RgbImage image) {
        int plane = image.width() * image.height();
        float[] out = new float[3 * plane];
        byte[] pixels = image.pixels();
        for (int c = 0; c < 3; c++) {
            float mean = config.mean() == null ? 0f : (float) config.mean()[c];
            float std = config.std() == null ? 1f : (float) config.std()[c];
            int channel = config.bgr() ? 2 - c : c; // the model's channel c is the picture's blue first when bgr
            for (int i = 0; i < plane; i++) {
                float value = (float) ((pixels[i * 3 + channel] & 0xFF) * config.rescaleFactor());
                out[c * plane + i] = config.mean() == null ? value : (value - mean) / std;
            }
        }
        return out;
    }
}
