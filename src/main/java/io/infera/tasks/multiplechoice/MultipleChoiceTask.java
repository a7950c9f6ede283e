package io.infera.tasks.multiplechoice;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.batching.Row;
import io.infera.errors.InvalidInputException;
import io.infera.errors.ModelLoadException;
import io.infera.processing.Softmax;
import io.infera.processing.text.Encoding;
import io.infera.runtime.Tensor;
import io.infera.runtime.TensorSpec;
import io.infera.tasks.Parameters;
import io.infera.tasks.Preprocessed;
import io.infera.tasks.Task;
import io.infera.tasks.TaskContext;
import io.infera.tasks.TaskInput;
import io.infera.tasks.TaskType;
import io.infera.tasks.TextEncoder;
import io.infera.tasks.TextEncoders;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Multiple choice ({@code ...ForMultipleChoice} models, which transformers has no pipeline for):
 * {@code {question, choices}} becomes one row of shape [choices, sequence], each choice paired with
 * the question, and the choices come back ranked by the softmax of their logits.
 */
public final class MultipleChoiceTask implements Task<Void, List<String>> {

    private final TextEncoder encoder;
    private final String output;

    /** One ranked choice. */
    public record Choice(String choice, int index, float score) {}

    private MultipleChoiceTask(TextEncoder encoder, String output) {
        this.encoder = encoder;
        this.output = output;
    }

    public static MultipleChoiceTask create(TaskContext context) throws ModelLoadException {
        TensorSpec logits = context.output("logits")
                .orElse(context.outputs().size() == 1 ? context.outputs().getFirst() : null);
        if (logits == null || logits.rank() != 2) {
            throw new ModelLoadException(
                    "multiple-choice needs an output logits [batch, choices]; the model has " + context.outputs());
        }
        return new MultipleChoiceTask(TextEncoders.load(context, 3), logits.name());
    }

    @Override
    public boolean readsText() {
        return true;
    }

    @Override
    public TaskType type() {
        return TaskType.MULTIPLE_CHOICE;
    }

    @Override
    public Void parameters(Parameters parameters) {
        return null;
    }

    @Override
    public Preprocessed<List<String>> preprocess(TaskInput input, Void parameters) {
        if (!(input instanceof TaskInput.Json json) || !json.value().isObject()) {
            throw new InvalidInputException(
                    input.field(), "expected {\"question\": string, \"choices\": [string, ...]}");
        }
        JsonNode question = json.value().get("question");
        if (question == null || !question.isTextual()) {
            throw new InvalidInputException(
                    input.field() + ".question", question == null ? "required" : "expected a string");
        }
        JsonNode choices = json.value().get("choices");
        if (choices == null || !choices.isArray()) {
            throw new InvalidInputException(input.field() + ".choices", "expected a list of strings");
        }
        if (choices.isEmpty()) {
            throw new InvalidInputException(input.field() + ".choices", "at least one choice is needed");
        }
        List<String> texts = new ArrayList<>();
        List<Encoding> encodings = new ArrayList<>();
        for (int i = 0; i < choices.size(); i++) {
            if (!choices.get(i).isTextual()) {
                throw new InvalidInputException(input.field() + ".choices[" + i + "]", "expected a string");
            }
            texts.add(choices.get(i).asText());
            encodings.add(
                    encoder.tokenizer().encode(question.asText(), choices.get(i).asText()));
        }
        return Preprocessed.single(encoder.stackedRow(encodings), List.copyOf(texts));
    }

    @Override
    public Object postprocess(List<String> choices, List<Map<String, Tensor>> outputs, Void parameters) {
        // Rows of a batch are padded to its most choices: only this item's columns count.
        float[] scores = Softmax.of(outputs.getFirst().get(output).toFloats(), 0, choices.size());
        Integer[] order = new Integer[choices.size()];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Float.compare(scores[b], scores[a]));
        List<Choice> ranked = new ArrayList<>();
        for (int i : order) {
            ranked.add(new Choice(choices.get(i), i, scores[i]));
        }
        return ranked;
    }

    @Override
    public Optional<Row> warmupRow(int length) {
        Row single = encoder.warmupRow(length);
        Map<String, Tensor> stacked = new java.util.LinkedHashMap<>();
        single.tensors()
                .forEach((name, t) -> stacked.put(name, new Tensor(t.type(), new long[] {1, t.dim(0)}, t.data())));
        return Optional.of(new Row(stacked, single.length()));
    }

    @Override
    public Map<String, Number> padValues() {
        return encoder.padValues();
    }

    @Override
    public void close() {
        encoder.close();
    }
}
