package io.infera.tasks.imagesegmentation;

import io.infera.batching.Row;
import io.infera.errors.ModelLoadException;
import io.infera.processing.Labels;
import io.infera.processing.image.BilinearUpsampler;
import io.infera.processing.image.RgbImage;
import io.infera.runtime.Tensor;
import io.infera.runtime.TensorSpec;
import io.infera.tasks.ImageInputs;
import io.infera.tasks.Parameters;
import io.infera.tasks.Preprocessed;
import io.infera.tasks.Task;
import io.infera.tasks.TaskContext;
import io.infera.tasks.TaskInput;
import io.infera.tasks.TaskType;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;

/**
 * Semantic segmentation (SegFormer / DeepLab-style logits [batch, classes, h, w]) as the
 * transformers image-segmentation pipeline answers it: logits upsampled bilinearly to the
 * original picture, argmax per pixel, and one {label, score: null, mask} per class present, the
 * mask a black-and-white PNG (base64) of the picture's size. A one-channel probability map (text
 * detectors such as PaddleOCR's) is a binary segmentation: the second label where the upsampled
 * probability exceeds serving.yaml's {@code parameters: {threshold}} (default 0.5), the first elsewhere.
 */
public final class ImageSegmentationTask implements Task<Float, ImageSegmentationTask.Size> {

    private final ImageInputs images;
    private final String output;
    private final Labels labels;
    private final long channels;

    record Size(int width, int height) {}

    /** One class present in the picture. */
    public record Segment(Float score, String label, String mask) {}

    private ImageSegmentationTask(ImageInputs images, String output, Labels labels, long channels) {
        this.images = images;
        this.output = output;
        this.labels = labels;
        this.channels = channels;
    }

    public static ImageSegmentationTask create(TaskContext context) throws ModelLoadException {
        TensorSpec logits = context.output("logits")
                .orElse(context.outputs().size() == 1 ? context.outputs().getFirst() : null);
        if (logits == null || logits.rank() != 4) {
            throw new ModelLoadException(
                    "image-segmentation needs an output logits [batch, classes, height, width]; the model has "
                            + context.outputs());
        }
        Labels labels = context.settings()
                .labels()
                .map(Labels::new)
                .or(() -> context.config().labels())
                .orElseThrow(() -> new ModelLoadException(
                        "image-segmentation needs labels: config.json id2label or serving.yaml labels"));
        long channels = logits.shape()[1];
        if (channels == 1 && labels.size() != 2) {
            throw new ModelLoadException(
                    "a one-channel probability map is a binary segmentation: name two labels (outside, inside)");
        }
        return new ImageSegmentationTask(ImageInputs.load(context), logits.name(), labels, channels);
    }

    @Override
    public TaskType type() {
        return TaskType.IMAGE_SEGMENTATION;
    }

    /** The probability threshold of a one-channel map; unused (and refused) for class logits. */
    @Override
    public Float parameters(Parameters parameters) {
        return binary() ? (float) parameters.decimal("threshold", 0.5, 0, 1) : null;
    }

    private boolean binary() {
        return labels.size() == 2 && channels == 1;
    }

    @Override
    public Preprocessed<Size> preprocess(TaskInput input, Float threshold) {
        RgbImage image = images.decode(input);
        return Preprocessed.single(
                Row.unpadded(Map.of(images.inputName(), images.pixelValues(image, input.field()))),
                new Size(image.width(), image.height()));
    }

    @Override
    public Object postprocess(Size size, List<Map<String, Tensor>> outputs, Float threshold) {
        Tensor logits = outputs.getFirst().get(output);
        int classes = logits.dim(0);
        float[] upsampled = BilinearUpsampler.upsample(
                logits.toFloats(), classes, logits.dim(1), logits.dim(2), size.height(), size.width());
        int pixels = size.width() * size.height();
        int[] classOf = new int[pixels];
        boolean[] present = new boolean[Math.max(classes, labels.size())];
        if (threshold != null) {
            for (int i = 0; i < pixels; i++) {
                classOf[i] = upsampled[i] > threshold ? 1 : 0;
                present[classOf[i]] = true;
            }
            return segments(classOf, present, size);
        }
        for (int i = 0; i < pixels; i++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                // Strictly greater: the first of equal maxima wins, as torch.argmax.
                if (upsampled[c * pixels + i] > upsampled[best * pixels + i]) {
                    best = c;
                }
            }
            classOf[i] = best;
            present[best] = true;
        }
        return segments(classOf, present, size);
    }

    private List<Segment> segments(int[] classOf, boolean[] present, Size size) {
        List<Segment> segments = new ArrayList<>();
        for (int c = 0; c < present.length; c++) {
            if (present[c]) {
                segments.add(new Segment(null, labels.name(c), maskPng(classOf, c, size)));
            }
        }
        return segments;
    }

    /** 255 where the class is, 0 elsewhere, as an 8-bit grey PNG in base64 (the pipeline's PIL "L" mask). */
    private static String maskPng(int[] classOf, int label, Size size) {
        BufferedImage mask = new BufferedImage(size.width(), size.height(), BufferedImage.TYPE_BYTE_GRAY);
        byte[] data = ((java.awt.image.DataBufferByte) mask.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < classOf.length; i++) {
            data[i] = (byte) (classOf[i] == label ? 255 : 0);
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(mask, "png", png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(png.toByteArray());
    }

    @Override
    public Optional<Row> warmupRow(int length) {
        return Optional.of(Row.unpadded(Map.of(images.inputName(), images.blankPixelValues())));
    }
}
