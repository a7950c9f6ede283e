package io.infera.tasks;

import com.fasterxml.jackson.databind.JsonNode;
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

    private ImageInputs(ImageDecoder decoder, ImagePreprocessor preprocessor) {
        this.decoder = decoder;
        this.preprocessor = preprocessor;
    }

    public static ImageInputs load(TaskContext context) throws ModelLoadException {
        TensorSpec input = context.input(PIXEL_VALUES).orElse(context.inputs().size() == 1 ? context.inputs().getFirst() : null);
        if (input == null || !input.name().equals(PIXEL_VALUES) || input.type() != DataType.FP32 || input.rank() != 4) {
            throw new ModelLoadException("an image model needs one FP32 input pixel_values [batch, 3, height, width]; the model has "
                    + context.inputs());
        }
        Path file = context.files().resolve("preprocessor_config.json");
        if (!Files.isRegularFile(file)) {
            throw new ModelLoadException("an image model needs a preprocessor_config.json (size, mean, std ...) in its folder");
        }
        try {
            JsonNode json = context.json().readTree(file.toFile());
            ImagePreprocessor preprocessor = new ImagePreprocessor(ImageProcessorConfig.fromJson(json));
            return new ImageInputs(new ImageDecoder(context.settings().maxImagePixels()), preprocessor);
        } catch (IOException | IllegalArgumentException e) {
            throw new ModelLoadException("preprocessor_config.json: " + e.getMessage(), e);
        }
    }

    /** The decoded picture; its size is what results are mapped back to. */
    public RgbImage decode(TaskInput input) {
        return decoder.decode(input.bytes(), input.field());
    }

    /** Black pixel values of the size a square picture comes out at, for warm-up. */
    public Tensor blankPixelValues() {
        return preprocessor.pixelValues(new RgbImage(224, 224, new byte[224 * 224 * 3]));
    }

    /** Where the picture lands in the model's input, to map results back. */
    public io.infera.processing.image.ImagePreprocessor.Placement placement(RgbImage image, Tensor pixels) {
        return preprocessor.placement(image, pixels);
    }

    /** A {@code [3, height, width]} row for {@code pixel_values}. */
    public Tensor pixelValues(RgbImage image) {
        return preprocessor.pixelValues(image);
    }
}
