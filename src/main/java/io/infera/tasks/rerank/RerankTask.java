package io.infera.tasks.rerank;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.batching.Row;
import io.infera.errors.InvalidInputException;
import io.infera.errors.ModelLoadException;
import io.infera.errors.PayloadTooLargeException;
import io.infera.runtime.Tensor;
import io.infera.runtime.TensorSpec;
import io.infera.tasks.Parameters;
import io.infera.tasks.Preprocessed;
import io.infera.tasks.TaskContext;
import io.infera.tasks.TaskInput;
import io.infera.tasks.TaskType;
import io.infera.tasks.TextEncoder;
import io.infera.tasks.TextEncoders;
import io.infera.tasks.TextTask;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Reranking with a cross-encoder (one relevance logit per pair): each (query, text) pair is a row,
 * tokenized as a pair truncated longest-first to the model's limit, so pairs of different requests
 * share batches; the texts are answered best first with their original index, scored by the
 * model's activation (sigmoid unless config.json's sentence_transformers.activation_fn says
 * Identity), as sentence-transformers' CrossEncoder.rank answers.
 */
public final class RerankTask implements TextTask<RerankParameters, RerankTask.Context> {

    private final TextEncoder encoder;
    private final String output;
    private final boolean sigmoid;
    private final int maxTexts;

    /** The request's texts and the tokens their pairs took. */
    record Context(List<String> texts, int tokens) {}

    private RerankTask(TextEncoder encoder, String output, boolean sigmoid, int maxTexts) {
        this.encoder = encoder;
        this.output = output;
        this.sigmoid = sigmoid;
        this.maxTexts = maxTexts;
    }

    public static RerankTask create(TaskContext context) throws ModelLoadException {
        TensorSpec logits = context.output("logits").orElse(context.outputs().getFirst());
        long width = logits.rank() == 2 ? logits.shape()[1] : -2;
        if (logits.rank() != 2 || width > 1) {
            throw new ModelLoadException("rerank needs a cross-encoder with one relevance logit, [batch, 1]; output "
                    + logits.name() + " is " + java.util.Arrays.toString(logits.shape()));
        }
        return new RerankTask(
                TextEncoders.load(context),
                logits.name(),
                CrossEncoderConfig.sigmoid(context.config()),
                context.settings().maxItems());
    }

    @Override
    public TaskType type() {
        return TaskType.RERANK;
    }

    @Override
    public RerankParameters parameters(Parameters p) {
        boolean returnText = p.bool("return_text", false);
        return new RerankParameters(
                p.count("top_n", OptionalInt.empty()),
                p.bool("return_documents", returnText),
                p.bool("raw_scores", false));
    }

    @Override
    public Preprocessed<Context> preprocess(TaskInput input, RerankParameters parameters) {
        JsonNode item = input instanceof TaskInput.Json json ? json.value() : null;
        if (item == null || !item.isObject()) {
            throw new InvalidInputException(input.field(), "expected {\"query\": text, \"texts\": [texts]}");
        }
        JsonNode query = item.path("query");
        if (!query.isTextual() || query.asText().isEmpty()) {
            throw new InvalidInputException(input.field() + ".query", "expected a non-empty string");
        }
        List<String> texts = texts(item, input.field(), maxTexts);
        List<Row> rows = new ArrayList<>(texts.size());
        int tokens = 0;
        for (String text : texts) {
            TextEncoder.Encoded pair = encoder.encode(query.asText(), text);
            rows.add(pair.row());
            tokens += pair.encoding().length();
        }
        return new Preprocessed<>(rows, new Context(texts, tokens));
    }

    /** {@code texts} or {@code documents}: strings, or {@code {"text": ...}} objects as Cohere's clients send them. */
    private static List<String> texts(JsonNode item, String field, int maxTexts) {
        String name = item.has("texts") ? "texts" : "documents";
        if (item.has("texts") && item.has("documents")) {
            throw new InvalidInputException(field, "send texts or documents, not both");
        }
        JsonNode list = item.path(name);
        if (!list.isArray() || list.isEmpty()) {
            throw new InvalidInputException(field + "." + name, "expected a non-empty list of texts");
        }
        if (list.size() > maxTexts) {
            throw new PayloadTooLargeException(
                    field + "." + name,
                    list.size() + " texts, more than the limit of " + maxTexts + " (infera.limits.max-items)");
        }
        item.fieldNames().forEachRemaining(key -> {
            if (!key.equals("query") && !key.equals(name)) {
                throw new InvalidInputException(field + "." + key, "unknown field (an item has query and texts)");
            }
        });
        List<String> texts = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            JsonNode text = list.get(i).isObject() ? list.get(i).path("text") : list.get(i);
            if (!text.isTextual()) {
                throw new InvalidInputException(
                        field + "." + name + "[" + i + "]", "expected a string or {\"text\": string}");
            }
            texts.add(text.asText());
        }
        return texts;
    }

    @Override
    public Object postprocess(Context context, List<Map<String, Tensor>> outputs, RerankParameters parameters) {
        List<Ranking.Ranked> ranked = new ArrayList<>(outputs.size());
        for (int i = 0; i < outputs.size(); i++) {
            float logit = outputs.get(i).get(output).toFloats()[0];
            float score = parameters.rawScores() || !sigmoid ? logit : (float) (1 / (1 + Math.exp(-logit)));
            ranked.add(new Ranking.Ranked(
                    i, score, parameters.returnDocuments() ? context.texts().get(i) : null));
        }
        // best first; a stable sort keeps equal scores in their request order, as Python's sorted does
        ranked.sort(Comparator.comparingDouble(r -> -r.score()));
        int keep = parameters.topN().orElse(ranked.size());
        return new Ranking(List.copyOf(ranked.subList(0, Math.min(keep, ranked.size()))), context.tokens());
    }

    @Override
    public TextEncoder encoder() {
        return encoder;
    }
}
