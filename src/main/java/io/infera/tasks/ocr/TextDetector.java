package io.infera.tasks.ocr;

import io.infera.batching.Row;
import io.infera.errors.ModelLoadException;
import io.infera.processing.image.RgbImage;
import io.infera.processing.ocr.Quad;
import io.infera.processing.ocr.TextRegions;
import io.infera.runtime.Tensor;
import io.infera.runtime.TensorSpec;
import io.infera.tasks.ImageInputs;
import io.infera.tasks.TaskContext;
import io.infera.tasks.TaskInput;
import java.util.List;
import java.util.Map;

/**
 * The first stage of OCR: a DB text detector (PaddleOCR's), its picture preprocessed as its
 * preprocessor_config.json says (PaddleOCR's: the longer side at most 960, sides multiples of 32,
 * blue-green-red), its probability map read into text-line quadrilaterals ({@link TextRegions}).
 */
final class TextDetector {

    private final ImageInputs images;
    private final String output;

    private TextDetector(ImageInputs images, String output) {
        this.images = images;
        this.output = output;
    }

    static TextDetector load(TaskContext context) throws ModelLoadException {
        List<TensorSpec> outputs = context.outputs();
        if (outputs.size() != 1 || outputs.getFirst().rank() != 4) {
            throw new ModelLoadException(
                    "an OCR detector has one output, a probability map [batch, 1, height, width]; the model has "
                            + outputs);
        }
        return new TextDetector(ImageInputs.load(context), outputs.getFirst().name());
    }

    RgbImage decode(TaskInput input) {
        return images.decode(input);
    }

    /** The page as the detector's row; pages batch only with pages of exactly their preprocessed size. */
    Row row(RgbImage page, String field) {
        return Row.unpadded(Map.of(images.inputName(), images.pixelValues(page, field)));
    }

    /** The text lines of one page, from its row's output, in the page's pixels and reading order. */
    List<Quad> lines(Map<String, Tensor> outputs, RgbImage page, TextRegions regions) {
        Tensor map = outputs.get(output); // [1, height, width]
        return regions.find(map.toFloats(), map.dim(2), map.dim(1), page.width(), page.height());
    }
}
