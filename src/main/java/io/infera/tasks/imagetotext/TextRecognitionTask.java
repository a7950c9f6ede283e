package io.infera.tasks.imagetotext;

import io.infera.batching.Row;
import io.infera.errors.ModelLoadException;
import io.infera.processing.ctc.CtcDecoder;
import io.infera.processing.image.RgbImage;
import io.infera.runtime.Tensor;
import io.infera.tasks.ImageInputs;
import io.infera.tasks.Parameters;
import io.infera.tasks.Preprocessed;
import io.infera.tasks.Task;
import io.infera.tasks.TaskContext;
import io.infera.tasks.TaskInput;
import io.infera.tasks.TaskType;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Text-line recognition with CTC (PaddleOCR's recognisers): the picture resized to the model's
 * height, narrower lines padded to the minimum width, and the per-step character probabilities
 * decoded greedily by the same CTC decoder as speech. The character list is config.json's
 * {@code character_dict} file, one character per line, with the blank first and a space last
 * (PaddleOCR's use_space_char).
 */
public final class TextRecognitionTask implements Task<Void, Void> {

    private final ImageInputs images;
    private final CtcDecoder decoder;
    private final int minWidth;
    private final int widthMultiple;
    private final String output;

    /** The text of the line and the mean probability of its characters. */
    public record Recognised(String generated_text, float score) {}

    private TextRecognitionTask(
            ImageInputs images, CtcDecoder decoder, int minWidth, int widthMultiple, String output) {
        this.images = images;
        this.decoder = decoder;
        this.minWidth = minWidth;
        this.widthMultiple = widthMultiple;
        this.output = output;
    }

    public static TextRecognitionTask create(TaskContext context) throws ModelLoadException {
        String dictionary = context.config().json().path("character_dict").asText("");
        if (dictionary.isEmpty() || !context.files().has(dictionary)) {
            throw new ModelLoadException(
                    "image-to-text (CTC) needs config.json character_dict naming the character list file");
        }
        if (context.outputs().size() != 1 || context.outputs().getFirst().rank() != 3) {
            throw new ModelLoadException(
                    "image-to-text (CTC) needs one output [batch, steps, characters]; the model has "
                            + context.outputs());
        }
        try {
            List<String> characters = Files.readAllLines(context.files().resolve(dictionary));
            String[] tokens = new String[characters.size() + 2];
            tokens[0] = "<blank>";
            for (int i = 0; i < characters.size(); i++) {
                tokens[i + 1] = characters.get(i);
            }
            tokens[tokens.length - 1] = " ";
            var preprocessing = context.json()
                    .readTree(
                            context.files().resolve("preprocessor_config.json").toFile());
            int widthMultiple = preprocessing.path("width_multiple").asInt(1);
            if (widthMultiple < 1) {
                throw new ModelLoadException("preprocessor_config.json width_multiple must be 1 or more");
            }
            return new TextRecognitionTask(
                    ImageInputs.load(context),
                    new CtcDecoder(tokens, "<blank>", "\u0000", " ", false),
                    preprocessing.path("min_width").asInt(0),
                    widthMultiple,
                    context.outputs().getFirst().name());
        } catch (IOException e) {
            throw new ModelLoadException("character list cannot be read: " + e.getMessage(), e);
        }
    }

    @Override
    public TaskType type() {
        return TaskType.IMAGE_TO_TEXT;
    }

    @Override
    public Void parameters(Parameters parameters) {
        return null;
    }

    @Override
    public Preprocessed<Void> preprocess(TaskInput input, Void parameters) {
        return Preprocessed.single(row(images.decode(input), input.field()), null);
    }

    /**
     * A line picture as the model's row: resized to the model's height, then padded with zeros
     * (after normalisation, as PaddleOCR pads) to the minimum width and up to the next multiple of
     * width_multiple. The padding depends on the line alone, never on the lines batched beside it:
     * lines share a batch only with lines of exactly their padded width.
     */
    public Row row(RgbImage line, String field) {
        Tensor pixels = images.pixelValues(line, field);
        int width = pixels.dim(2);
        int padded = Math.max(minWidth, (width + widthMultiple - 1) / widthMultiple * widthMultiple);
        if (padded > width) {
            int height = pixels.dim(1);
            float[] wide = new float[3 * height * padded];
            float[] source = pixels.floats();
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < height; y++) {
                    System.arraycopy(source, (c * height + y) * width, wide, (c * height + y) * padded, width);
                }
            }
            pixels = Tensor.of(wide, 3, height, padded);
        }
        return Row.unpadded(Map.of(images.inputName(), pixels), pixels.dim(2));
    }

    @Override
    public Object postprocess(Void context, List<Map<String, Tensor>> outputs, Void parameters) {
        return List.of(recognise(outputs.getFirst()));
    }

    /** Greedy CTC over one row's character probabilities: the text and the mean probability of its characters. */
    public Recognised recognise(Map<String, Tensor> outputs) {
        Tensor probabilities = outputs.get(output);
        int steps = probabilities.dim(0);
        int classes = probabilities.dim(1);
        float[] values = probabilities.toFloats();
        int[] ids = new int[steps];
        double confidence = 0;
        int kept = 0;
        int previous = -1;
        for (int t = 0; t < steps; t++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (values[t * classes + c] > values[t * classes + best]) {
                    best = c;
                }
            }
            ids[t] = best;
            if (best != previous && best != 0) {
                confidence += values[t * classes + best];
                kept++;
            }
            previous = best;
        }
        return new Recognised(decoder.decode(ids).text(), kept == 0 ? 0f : (float) (confidence / kept));
    }

    @Override
    public Optional<Row> warmupRow(int length) {
        return Optional.empty();
    }
}
