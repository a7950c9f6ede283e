package io.infera.tasks.zeroshot;

import io.infera.batching.Row;
import io.infera.errors.InvalidInputException;
import io.infera.errors.ModelLoadException;
import io.infera.processing.Labels;
import io.infera.runtime.Tensor;
import io.infera.tasks.ClassifierHead;
import io.infera.tasks.Parameters;
import io.infera.tasks.Preprocessed;
import io.infera.tasks.TaskContext;
import io.infera.tasks.TaskInput;
import io.infera.tasks.TaskType;
import io.infera.tasks.TextEncoder;
import io.infera.tasks.TextEncoders;
import io.infera.tasks.TextTask;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Zero-shot classification on an NLI model, as the transformers pipeline does it: each candidate
 * label becomes a hypothesis paired with the text (one row per label, batched with other
 * requests' rows), and the entailment logits rank the labels.
 */
public final class ZeroShotClassificationTask
        implements TextTask<ZeroShotParameters, ZeroShotClassificationTask.Context> {

    private static final String DEFAULT_TEMPLATE = "This example is {}.";

    private final TextEncoder encoder;
    private final String output;
    private final int entailment;
    private final int contradiction;

    /** The text and its labels, kept for postprocessing. */
    record Context(String sequence, List<String> labels) {}

    /** The pipeline's answer. */
    public record Answer(String sequence, List<String> labels, List<Float> scores) {}

    private ZeroShotClassificationTask(TextEncoder encoder, String output, int entailment, int contradiction) {
        this.encoder = encoder;
        this.output = output;
        this.entailment = entailment;
        this.contradiction = contradiction;
    }

    public static ZeroShotClassificationTask create(TaskContext context) throws ModelLoadException {
        ClassifierHead head = ClassifierHead.find(context);
        Labels labels = head.labels();
        int entailment = -1;
        for (int i = 0; i < labels.size(); i++) {
            if (labels.name(i).toLowerCase(Locale.ROOT).startsWith("entail")) {
                entailment = i;
                break;
            }
        }
        if (entailment < 0) {
            throw new ModelLoadException(
                    "zero-shot-classification needs an NLI model with an entailment label; labels are "
                            + labels.names());
        }
        // As the pipeline: the contradiction column is the first, or the last when entailment is the first.
        int contradiction = entailment == 0 ? labels.size() - 1 : 0;
        return new ZeroShotClassificationTask(TextEncoders.load(context), head.output(), entailment, contradiction);
    }

    @Override
    public TaskType type() {
        return TaskType.ZERO_SHOT_CLASSIFICATION;
    }

    @Override
    public ZeroShotParameters parameters(Parameters p) {
        if (!p.has("candidate_labels")) {
            throw new InvalidInputException("parameters.candidate_labels", "required: the labels to choose from");
        }
        List<String> labels = new ArrayList<>();
        for (String label : p.strings("candidate_labels", List.of())) {
            // A single string is a comma-separated list, as the pipeline reads it.
            for (String part : label.split(",")) {
                if (!part.strip().isEmpty()) {
                    labels.add(part.strip());
                }
            }
        }
        if (labels.isEmpty()) {
            throw new InvalidInputException("parameters.candidate_labels", "at least one label is needed");
        }
        String template = p.string("hypothesis_template", DEFAULT_TEMPLATE);
        if (!template.contains("{}")) {
            throw new InvalidInputException("parameters.hypothesis_template", "must contain {} where the label goes");
        }
        return new ZeroShotParameters(List.copyOf(labels), template, p.bool("multi_label", false));
    }

    @Override
    public Preprocessed<Context> preprocess(TaskInput input, ZeroShotParameters parameters) {
        String sequence = input.text();
        if (sequence.isEmpty()) {
            throw new InvalidInputException(input.field(), "empty text: there is nothing to classify");
        }
        List<Row> rows = new ArrayList<>();
        for (String label : parameters.candidateLabels()) {
            String hypothesis = parameters.hypothesisTemplate().replace("{}", label);
            // Only the text is truncated, never the hypothesis, as the pipeline does.
            rows.add(encoder.row(encoder.tokenizer().encodeTruncatingFirst(sequence, hypothesis)));
        }
        return new Preprocessed<>(rows, new Context(sequence, parameters.candidateLabels()));
    }

    @Override
    public Object postprocess(Context context, List<Map<String, Tensor>> outputs, ZeroShotParameters parameters) {
        int n = outputs.size();
        double[] scores = new double[n];
        if (parameters.multiLabel() || n == 1) {
            for (int i = 0; i < n; i++) {
                float[] logits = outputs.get(i).get(output).toFloats();
                double e = Math.exp(logits[entailment]);
                double c = Math.exp(logits[contradiction]);
                scores[i] = e / (e + c);
            }
        } else {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                scores[i] = Math.exp(outputs.get(i).get(output).toFloats()[entailment]);
                sum += scores[i];
            }
            for (int i = 0; i < n; i++) {
                scores[i] /= sum;
            }
        }
        Integer[] order = new Integer[n];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
        List<String> labels = new ArrayList<>();
        List<Float> ranked = new ArrayList<>();
        for (int i : order) {
            labels.add(context.labels().get(i));
            ranked.add((float) scores[i]);
        }
        return new Answer(context.sequence(), labels, ranked);
    }

    @Override
    public TextEncoder encoder() {
        return encoder;
    }
}
