package io.infera.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.errors.InvalidInputException;
import io.infera.errors.ModelLoadException;
import io.infera.processing.image.ImageDecoder;
import io.infera.processing.image.ImagePreprocessor;
import io.infera.processing.image.ImageProcessorConfig;
import io.infera.processing.image.RgbImage;
import io.infera.runtime.DataType;
import io.infera.runtime.Tensor;
import io.infera.runtime.TensorSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Image bytes to a model's {@code pixel_values} row, as the model's preprocessor_config.json says;
 * shared by every image task.
 */
public final class ImageInputs {

    public static final String PIXEL_VALUES = "pixel_values";

    private final ImageDecoder decoder;
    private final ImagePreprocessor preprocessor;
    private final String inputName;
    private final boolean channelsLast;
    /** Told of each decoded picture's size and brightness (input monitoring). */
    private final PipelineObserver observer;

    private ImageInputs(
            ImageDecoder decoder,
            ImagePreprocessor preprocessor,
            String inputName,
            boolean channelsLast,
            PipelineObserver observer) {
        this.observer = observer;
        this.decoder = decoder;
        this.preprocessor = preprocessor;
        this.inputName = inputName;
        this.channelsLast = channelsLast;
    }

    public static ImageInputs load(TaskContext context) throws ModelLoadException {
        // pixel_values as transformers names it, or the only input of an export that names it otherwise.
        TensorSpec input = context.input(PIXEL_VALUES)
                .orElse(context.inputs().size() == 1 ? context.inputs().getFirst() : null);
        if (input == null || input.type() != DataType.FP32 || input.rank() != 4) {
            throw new ModelLoadException(
                    "an image model needs one FP32 input pixel_values [batch, 3, height, width] (or "
                            + "[batch, height, width, 3]); the model has " + context.inputs());
        }
        // TensorFlow-born exports (MediaPipe) take channels last.
        boolean channelsLast = input.shape()[3] == 3 && input.shape()[1] != 3;
        Path file = context.files().resolve("preprocessor_config.json");
        if (!Files.isRegularFile(file)) {
            throw new ModelLoadException(
                    "an image model needs a preprocessor_config.json (size, mean, std ...) in its folder");
        }
        try {
            JsonNode json = context.json().readTree(file.toFile());
            ImagePreprocessor preprocessor = new ImagePreprocessor(ImageProcessorConfig.fromJson(json));
            return new ImageInputs(
                    new ImageDecoder(context.settings().maxImagePixels()),
                    preprocessor,
                    input.name(),
                    channelsLast,
                    context.observer());
        } catch (IOException e) {
            throw new ModelLoadException("preprocessor_config.json: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(e.getMessage(), e); // names the file and the key
        }
    }

    /** The decoded picture; its size is what results are mapped back to. */
    public RgbImage decode(TaskInput input) {
        RgbImage image = decoder.decode(input.bytes(), input.field());
        if (observer.watchesInputs()) {
            observer.image(image.width(), image.height(), brightness(image));
        }
        return image;
    }

    /** Mean of the R, G and B samples of every 7th pixel, 0 to 1: enough to see a shift, cheap next to resizing. */
    static double brightness(RgbImage image) {
        byte[] pixels = image.pixels();
        long sum = 0;
        long samples = 0;
        for (int i = 0; i + 2 < pixels.length; i += 3 * 7) {
            sum += (pixels[i] & 0xff) + (pixels[i + 1] & 0xff) + (pixels[i + 2] & 0xff);
            samples += 3;
        }
        return samples == 0 ? 0 : sum / (255.0 * samples);
    }

    /** Black pixel values of the size a square picture comes out at, for warm-up. */
    public Tensor blankPixelValues() {
        return layout(preprocessor.pixelValues(new RgbImage(224, 224, new byte[224 * 224 * 3])));
    }

    /** The model input the picture goes to. */
    public String inputName() {
        return inputName;
    }

    /** Where the picture lands in the model's input, to map results back. */
    public io.infera.processing.image.ImagePreprocessor.Placement placement(RgbImage image, Tensor pixels) {
        return preprocessor.placement(image, channelsLast ? toChannelsFirst(pixels) : pixels);
    }

    /**
     * A {@code [3, height, width]} row for {@code pixel_values}.
     *
     * @param field the request field the picture came from, named when it cannot be resized for the model
     */
    public Tensor pixelValues(RgbImage image, String field) {
        try {
            return layout(preprocessor.pixelValues(image));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(field, e.getMessage());
        }
    }

    /** [3, h, w] as the model takes it: unchanged, or as [h, w, 3]. */
    private Tensor layout(Tensor chw) {
        if (!channelsLast) {
            return chw;
        }
        int h = chw.dim(1);
        int w = chw.dim(2);
        float[] in = chw.floats();
        float[] out = new float[in.length];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < h * w; i++) {
                out[i * 3 + c] = in[c * h * w + i];
            }
        }
        return Tensor.of(out, h, w, 3);
    }

    private static Tensor toChannelsFirst(Tensor hwc) {
        return new Tensor(hwc.type(), new long[] {3, hwc.dim(0), hwc.dim(1)}, hwc.data());
    }
}
