package io.infera.processing.image;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.processing.KnownKeys;
import java.util.Set;
import java.util.TreeSet;

/**
 * The parts of a Hugging Face preprocessor_config.json that image classifiers use, with the
 * defaults the transformers image processors apply when a field is absent.
 *
 * @param resize       how to resize before cropping, or null for no resize
 * @param resample     Pillow filter for the resize
 * @param cropHeight   centre-crop height, 0 for no crop
 * @param cropWidth    centre-crop width, 0 for no crop
 * @param rescaleFactor multiplier for 0..255 samples, 1 for none
 * @param mean         per-channel mean subtracted after rescaling, null for no normalisation
 * @param std          per-channel standard deviation divided by after subtracting the mean
 * @param bgr          channels in blue, green, red order (Infera's {@code "channel_order": "bgr"}: PaddleOCR's and
 *                     OpenCV-born models'); mean and std are in that order too
 */
public record ImageProcessorConfig(
        ResizeRule resize,
        Resampling resample,
        int cropHeight,
        int cropWidth,
        double rescaleFactor,
        double[] mean,
        double[] std,
        boolean bgr) {

    /** ImageNet's "standard" mean and std, the transformers default for ViT-style processors. */
    private static final double[] STANDARD = {0.5, 0.5, 0.5};

    /** Pillow's BILINEAR, the default of most transformers image processors. */
    private static final int DEFAULT_RESAMPLE = 2;

    /** How the image is brought to the model's size. */
    public sealed interface ResizeRule {
        /** Resize to exactly height x width. */
        record Exact(int height, int width) implements ResizeRule {}

        /** Scale so that the shorter side is {@code shortestEdge}, keeping the aspect ratio. */
        record ShortestEdge(int shortestEdge) implements ResizeRule {}

        /**
         * DETR's and YOLOS' rule: the shorter side to {@code shortestEdge}, unless the longer would
         * then pass {@code longestEdge}: then the longer side to {@code longestEdge}, keeping the aspect ratio.
         */
        record ShortestLongestEdge(int shortestEdge, int longestEdge) implements ResizeRule {}

        /** The largest size within {@code maxHeight} x {@code maxWidth} that keeps the aspect ratio. */
        record MaxHeightWidth(int maxHeight, int maxWidth) implements ResizeRule {}

        /**
         * PaddleOCR's detector resize (Infera's {@code size: {limit_side_len, multiple_of}}): the
         * longer side scaled down to {@code limit} when it is longer, then each side rounded (half to
         * even) to a multiple of {@code multiple}, at least one multiple.
         */
        record LimitSide(int limit, int multiple) implements ResizeRule {}

        /**
         * ConvNeXt's rule: below 384 pixels, scale the shorter side to {@code shortestEdge / cropPct}
         * and centre-crop a {@code shortestEdge} square; from 384 up, warp to the square.
         */
        record ConvNextCrop(int shortestEdge, double cropPct) implements ResizeRule {}

        /**
         * ViLT's rule: the shorter side to {@code shortestEdge}, the longer capped at 1333/800 of
         * it, both rounded down to a multiple of {@code sizeDivisor}.
         */
        record ShortestEdgeDivisible(int shortestEdge, int sizeDivisor) implements ResizeRule {}

        /** Text-line recognisers (PaddleOCR): height fixed, width ceil(height x aspect ratio). */
        record FixedHeight(int height) implements ResizeRule {}

        /**
         * YOLO's letterbox (Infera's {@code "letterbox": true} in preprocessor_config.json): scale to
         * fit height x width keeping the aspect ratio, centre on a grey (114) canvas.
         */
        record Letterbox(int height, int width) implements ResizeRule {}
    }

    /**
     * The keys of an image processor's preprocessor_config.json: those read here, Infera's own
     * ({@code letterbox}; {@code min_width} for text-line recognisers), and those that change no
     * answer for one picture at a time (annotation and label settings; padding, which pads a batch
     * to its largest picture and leaves a picture alone unchanged: Infera never pads a picture).
     */
    public static final KnownKeys KEYS = new KnownKeys(
            "preprocessor_config.json",
            Set.of(
                    "do_resize",
                    "size",
                    "resample",
                    "do_center_crop",
                    "crop_size",
                    "crop_pct",
                    "size_divisor",
                    "do_rescale",
                    "rescale_factor",
                    "do_normalize",
                    "image_mean",
                    "image_std",
                    "do_convert_rgb",
                    "letterbox",
                    "min_width",
                    "do_pad",
                    "channel_order",
                    "width_multiple"),
            Set.of(
                    "image_processor_type",
                    "feature_extractor_type",
                    "processor_class",
                    "format",
                    "do_convert_annotations",
                    "do_reduce_labels",
                    "reduce_labels",
                    "pad_and_return_pixel_mask",
                    "return_segmentation_masks"));

    private static final Set<String> SIZE_KEYS = Set.of(
            "height",
            "width",
            "shortest_edge",
            "longest_edge",
            "max_height",
            "max_width",
            "limit_side_len",
            "multiple_of");

    /** @throws IllegalArgumentException naming a key or value that the server does not implement */
    public static ImageProcessorConfig fromJson(JsonNode json) {
        KEYS.check(json);
        if (!json.path("do_convert_rgb").asBoolean(true)) {
            throw new IllegalArgumentException(
                    "preprocessor_config.json do_convert_rgb false is not implemented: Infera converts "
                            + "every picture to RGB");
        }
        JsonNode size = json.path("size");
        if (size.isObject()) {
            size.fieldNames().forEachRemaining(key -> {
                if (!SIZE_KEYS.contains(key) && !size.get(key).isNull()) {
                    throw new IllegalArgumentException("preprocessor_config.json size." + key
                            + " is not implemented (size takes " + new TreeSet<>(SIZE_KEYS) + ")");
                }
            });
            if (size.hasNonNull("multiple_of") && !size.hasNonNull("limit_side_len")) {
                throw new IllegalArgumentException(
                        "preprocessor_config.json size.multiple_of is implemented only with size.limit_side_len"
                                + " (PaddleOCR's detector resize), got " + size);
            }
        }
        ResizeRule resize = json.path("do_resize").asBoolean(true) ? resizeRule(json) : null;
        Resampling resample = Resampling.fromPillowCode(json.path("resample").asInt(DEFAULT_RESAMPLE));
        int cropHeight = 0;
        int cropWidth = 0;
        if (json.path("do_center_crop").asBoolean(false)) {
            JsonNode crop = json.path("crop_size");
            cropHeight = crop.isInt() ? crop.asInt() : crop.path("height").asInt();
            cropWidth = crop.isInt() ? crop.asInt() : crop.path("width").asInt();
            if (cropHeight <= 0 || cropWidth <= 0) {
                throw new IllegalArgumentException(
                        "preprocessor_config.json do_center_crop needs a crop_size with height and width");
            }
        }
        double rescale = json.path("do_rescale").asBoolean(true)
                ? json.path("rescale_factor").asDouble(1 / 255.0)
                : 1.0;
        double[] mean = null;
        double[] std = null;
        if (json.path("do_normalize").asBoolean(true)) {
            mean = triple(json.path("image_mean"));
            std = triple(json.path("image_std"));
        }
        String order = json.path("channel_order").asText("rgb");
        if (!order.equals("rgb") && !order.equals("bgr")) {
            throw new IllegalArgumentException(
                    "preprocessor_config.json channel_order must be rgb or bgr, got " + order);
        }
        return new ImageProcessorConfig(
                resize, resample, cropHeight, cropWidth, rescale, mean, std, order.equals("bgr"));
    }

    private static ResizeRule resizeRule(JsonNode json) {
        JsonNode size = json.path("size");
        boolean convNext = json.path("image_processor_type").asText("").startsWith("ConvNext");
        if (size.isInt()) {
            // Legacy configs: an int means a square for most processors.
            return convNext
                    ? new ResizeRule.ConvNextCrop(size.asInt(), cropPct(json))
                    : new ResizeRule.Exact(size.asInt(), size.asInt());
        }
        if (size.has("height") && !size.has("width")) {
            return new ResizeRule.FixedHeight(size.path("height").asInt());
        }
        if (size.has("height") && size.has("width") && json.path("letterbox").asBoolean(false)) {
            return new ResizeRule.Letterbox(
                    size.path("height").asInt(), size.path("width").asInt());
        }
        if (size.has("height") && size.has("width")) {
            return new ResizeRule.Exact(
                    size.path("height").asInt(), size.path("width").asInt());
        }
        if (size.has("shortest_edge")
                && json.path("image_processor_type").asText("").startsWith("Vilt")) {
            return new ResizeRule.ShortestEdgeDivisible(
                    size.path("shortest_edge").asInt(),
                    json.path("size_divisor").asInt(32));
        }
        if (size.has("limit_side_len")) {
            int limit = size.path("limit_side_len").asInt();
            int multiple = size.path("multiple_of").asInt(32);
            if (limit <= 0 || multiple <= 0) {
                throw new IllegalArgumentException(
                        "preprocessor_config.json size limit_side_len and multiple_of must be positive, got " + size);
            }
            return new ResizeRule.LimitSide(limit, multiple);
        }
        if (size.has("shortest_edge") && size.has("longest_edge")) {
            return new ResizeRule.ShortestLongestEdge(
                    size.path("shortest_edge").asInt(),
                    size.path("longest_edge").asInt());
        }
        if (size.has("max_height") && size.has("max_width")) {
            return new ResizeRule.MaxHeightWidth(
                    size.path("max_height").asInt(), size.path("max_width").asInt());
        }
        if (size.has("shortest_edge")) {
            int edge = size.path("shortest_edge").asInt();
            return convNext ? new ResizeRule.ConvNextCrop(edge, cropPct(json)) : new ResizeRule.ShortestEdge(edge);
        }
        throw new IllegalArgumentException(
                "preprocessor_config.json size must have height and width or shortest_edge, got " + size);
    }

    private static double cropPct(JsonNode json) {
        return json.path("crop_pct").asDouble(224.0 / 256.0);
    }

    private static double[] triple(JsonNode values) {
        if (values.isMissingNode() || values.isNull()) {
            return STANDARD.clone();
        }
        if (values.isNumber()) {
            return new double[] {values.asDouble(), values.asDouble(), values.asDouble()};
        }
        if (!values.isArray() || values.size() != 3) {
            throw new IllegalArgumentException(
                    "preprocessor_config.json image_mean and image_std need three values, got " + values);
        }
        return new double[] {
            values.get(0).asDouble(), values.get(1).asDouble(), values.get(2).asDouble()
        };
    }
}
