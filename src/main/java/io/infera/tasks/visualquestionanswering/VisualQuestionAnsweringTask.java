package io.infera.tasks.visualquestionanswering;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.batching.Row;
import io.infera.errors.InvalidInputException;
import io.infera.errors.ModelLoadException;
import io.infera.processing.Labels;
import io.infera.processing.image.RgbImage;
import io.infera.processing.text.Encoding;
import io.infera.processing.text.Tokenizer;
import io.infera.runtime.Tensor;
import io.infera.runtime.TensorSpec;
import io.infera.tasks.ImageInputs;
import io.infera.tasks.Parameters;
import io.infera.tasks.Preprocessed;
import io.infera.tasks.Task;
import io.infera.tasks.TaskContext;
import io.infera.tasks.TaskInput;
import io.infera.tasks.TaskType;
import io.infera.tasks.TextEncoders;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Visual question answering with classifier models (ViLT-style): the question through the
 * tokenizer and the picture through the image processor, together in one row; answers ranked by
 * the sigmoid of their logits, named by config.json's answer vocabulary (id2label).
 */
public final class VisualQuestionAnsweringTask implements Task<Integer, Void> {

    private static final int DEFAULT_TOP_K = 5;
    private static final List<String> TEXT_INPUTS = List.of("input_ids", "attention_mask", "token_type_ids");

    private final Tokenizer tokenizer;
    private final ImageInputs images;
    private final List<String> textInputs;
    private final boolean pixelMask;
    private final String output;
    private final Labels answers;

    /** One answer and its probability. */
    public record Answer(float score, String answer) {}

    private VisualQuestionAnsweringTask(
            Tokenizer tokenizer,
            ImageInputs images,
            List<String> textInputs,
            boolean pixelMask,
            String output,
            Labels answers) {
        this.tokenizer = tokenizer;
        this.images = images;
        this.textInputs = textInputs;
        this.pixelMask = pixelMask;
        this.output = output;
        this.answers = answers;
    }

    public static VisualQuestionAnsweringTask create(TaskContext context) throws ModelLoadException {
        TensorSpec logits = context.output("logits")
                .orElse(context.outputs().size() == 1 ? context.outputs().getFirst() : null);
        if (logits == null || logits.rank() != 2) {
            throw new ModelLoadException(
                    "visual-question-answering needs an output logits [batch, answers]; the model has "
                            + context.outputs());
        }
        Labels answers = context.settings()
                .labels()
                .map(Labels::new)
                .or(() -> context.config().labels())
                .orElseThrow(() -> new ModelLoadException(
                        "visual-question-answering needs the answer vocabulary: config.json id2label"));
        List<String> text =
                TEXT_INPUTS.stream().filter(n -> context.input(n).isPresent()).toList();
        if (!text.contains("input_ids")) {
            throw new ModelLoadException(
                    "visual-question-answering needs an input input_ids; the model has " + context.inputs());
        }
        ImageInputs images = ImageInputs.load(context);
        return new VisualQuestionAnsweringTask(
                TextEncoders.tokenizer(context),
                images,
                text,
                context.input("pixel_mask").isPresent(),
                logits.name(),
                answers);
    }

    @Override
    public TaskType type() {
        return TaskType.VISUAL_QUESTION_ANSWERING;
    }

    @Override
    public boolean readsText() {
        return false; // the image travels as base64 text; the question is limited by the tokenizer
    }

    @Override
    public Integer parameters(Parameters p) {
        return Math.min(p.integer("top_k", DEFAULT_TOP_K, 1, Integer.MAX_VALUE), answers.size());
    }

    @Override
    public Preprocessed<Void> preprocess(TaskInput input, Integer topK) {
        if (!(input instanceof TaskInput.Json json) || !json.value().isObject()) {
            throw new InvalidInputException(
                    input.field(), "expected {\"image\": base64 or data URL, \"question\": string}");
        }
        JsonNode question = json.value().get("question");
        if (question == null || !question.isTextual() || question.asText().isBlank()) {
            throw new InvalidInputException(
                    input.field() + ".question", question == null ? "required" : "expected a non-empty string");
        }
        JsonNode image = json.value().get("image");
        if (image == null) {
            throw new InvalidInputException(input.field() + ".image", "required");
        }
        RgbImage picture = images.decode(new TaskInput.Json(image, input.field() + ".image"));
        Tensor pixels = images.pixelValues(picture, input.field() + ".image");
        Encoding encoding = tokenizer.encode(question.asText(), null);
        Map<String, Tensor> row = new HashMap<>();
        for (String name : textInputs) {
            long[] values = switch (name) {
                case "input_ids" -> encoding.ids();
                case "attention_mask" -> encoding.attentionMask();
                default -> encoding.typeIds();
            };
            row.put(name, Tensor.of(values, values.length));
        }
        row.put(images.inputName(), pixels);
        if (pixelMask) {
            long[] ones = new long[pixels.dim(1) * pixels.dim(2)];
            Arrays.fill(ones, 1);
            row.put("pixel_mask", Tensor.of(ones, pixels.dim(1), pixels.dim(2)));
        }
        // the question pads to the batch's longest; the picture never pads (ViLT resizes its position embeddings to it)
        return Preprocessed.single(Row.withExactInputs(row, encoding.length(), pictureInputs()), null);
    }

    @Override
    public Object postprocess(Void context, List<Map<String, Tensor>> outputs, Integer topK) {
        float[] logits = outputs.getFirst().get(output).toFloats();
        float[] probabilities = new float[logits.length];
        for (int i = 0; i < logits.length; i++) {
            probabilities[i] = (float) (1 / (1 + Math.exp(-logits[i])));
        }
        Integer[] order = new Integer[logits.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Float.compare(probabilities[b], probabilities[a]));
        List<Answer> ranked = new ArrayList<>();
        for (int k = 0; k < topK; k++) {
            ranked.add(new Answer(probabilities[order[k]], answers.name(order[k])));
        }
        return ranked;
    }

    @Override
    public Optional<Row> warmupRow(int length) {
        int n = Math.min(length, tokenizer.maxLength());
        Map<String, Tensor> row = new HashMap<>();
        for (String name : textInputs) {
            long[] values = new long[n];
            if (!name.equals("token_type_ids")) {
                Arrays.fill(values, name.equals("attention_mask") ? 1 : tokenizer.padTokenId());
            }
            row.put(name, Tensor.of(values, n));
        }
        Tensor pixels = images.blankPixelValues();
        row.put(images.inputName(), pixels);
        if (pixelMask) {
            long[] ones = new long[pixels.dim(1) * pixels.dim(2)];
            Arrays.fill(ones, 1);
            row.put("pixel_mask", Tensor.of(ones, pixels.dim(1), pixels.dim(2)));
        }
        return Optional.of(Row.withExactInputs(row, n, pictureInputs()));
    }

    private Set<String> pictureInputs() {
        return pixelMask ? Set.of(images.inputName(), "pixel_mask") : Set.of(images.inputName());
    }

    @Override
    public Map<String, Number> padValues() {
        return Map.of("input_ids", tokenizer.padTokenId());
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
