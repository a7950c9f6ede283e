package io.infera.tasks.featureextraction;

import io.infera.errors.InvalidInputException;
import io.infera.errors.ModelLoadException;
import io.infera.processing.text.Encoding;
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
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Text embeddings from an encoder's token states ({@code last_hidden_state}), pooled over the real
 * tokens and optionally L2-normalised, or the token vectors themselves with {@code pooling: none}.
 * A model whose output is already one vector per text is returned as it is (normalised on request).
 * An input is a text (with the model's special tokens, after a named prompt) or a list of token ids
 * taken as they are.
 */
public final class FeatureExtractionTask implements TextTask<FeatureExtractionParameters, Integer> {

    private final TextEncoder encoder;
    private final String output;
    private final boolean pooledByModel;
    private final OptionalInt width;
    private final SentenceTransformersLayout layout;
    private final Prompts prompts;
    private final boolean matryoshka;

    private FeatureExtractionTask(
            TextEncoder encoder,
            TensorSpec output,
            SentenceTransformersLayout layout,
            Prompts prompts,
            boolean matryoshka) {
        this.encoder = encoder;
        this.output = output.name();
        this.pooledByModel = output.rank() == 2;
        long last = output.shape()[output.rank() - 1];
        this.width = last > 0 ? OptionalInt.of((int) last) : OptionalInt.empty();
        this.layout = layout;
        this.prompts = prompts;
        this.matryoshka = matryoshka;
    }

    public static FeatureExtractionTask create(TaskContext context) throws ModelLoadException {
        TensorSpec out = context.output("last_hidden_state")
                .or(() -> context.output("sentence_embedding"))
                .orElse(context.outputs().getFirst());
        if (out.rank() != 3 && out.rank() != 2) {
            throw new ModelLoadException(
                    "embedding output " + out.name() + " must be [batch, tokens, hidden] or [batch, hidden]");
        }
        SentenceTransformersLayout layout;
        try {
            layout = SentenceTransformersLayout.read(context.files(), context.json());
        } catch (IOException e) {
            throw new ModelLoadException("sentence-transformers settings: " + e.getMessage(), e);
        }
        // sentence_bert_config.json's max_seq_length wins over the tokenizer's limit, as in sentence-transformers;
        // serving.yaml's max_tokens wins over both
        OptionalInt maxTokens =
                context.settings().maxTokens().isPresent() ? context.settings().maxTokens() : layout.maxSeqLength();
        TextEncoder encoder = TextEncoders.load(context, maxTokens);
        Prompts prompts = Prompts.of(layout, context.settings().embedding(), encoder.tokenizer(), layout.lowerCase());
        return new FeatureExtractionTask(
                encoder, out, layout, prompts, context.settings().embedding().matryoshka());
    }

    @Override
    public TaskType type() {
        return TaskType.FEATURE_EXTRACTION;
    }

    @Override
    public FeatureExtractionParameters parameters(Parameters p) {
        Pooling pooling = p.choice("pooling", Pooling.class, layout.pooling());
        boolean normalize = p.bool("normalize", layout.normalize());
        OptionalInt dimensions = p.count("dimensions", OptionalInt.empty());
        if (dimensions.isPresent()) {
            checkDimensions(dimensions.getAsInt(), pooling);
        }
        FeatureExtractionParameters.Prompt prompt = prompts.named(p.string("prompt_name", null));
        return new FeatureExtractionParameters(pooling, normalize, dimensions, prompt, p.bool("truncate", true));
    }

    private void checkDimensions(int dimensions, Pooling pooling) {
        if (!matryoshka) {
            throw Parameters.invalid(
                    "dimensions",
                    "this model is not declared to keep its meaning when its vectors are cut short (serving.yaml"
                            + " embedding: {matryoshka: true}); ask without dimensions");
        }
        if (pooling == Pooling.NONE && !pooledByModel) {
            throw Parameters.invalid("dimensions", "dimensions applies to pooled embeddings, not pooling none");
        }
        if (width.isPresent() && dimensions > width.getAsInt()) {
            throw Parameters.invalid(
                    "dimensions",
                    "the model's embeddings have " + width.getAsInt() + " dimensions; asked for " + dimensions);
        }
    }

    /** The context is the number of real tokens: positions past it are batch padding. */
    @Override
    public Preprocessed<Integer> preprocess(TaskInput input, FeatureExtractionParameters parameters) {
        Encoding encoding = input instanceof TaskInput.Json json && json.value().isArray()
                ? TokenIds.encoding(json.value(), json.field(), encoder.tokenizer(), parameters)
                : encodeText(input, parameters);
        return Preprocessed.single(encoder.row(encoding), encoding.length());
    }

    private Encoding encodeText(TaskInput input, FeatureExtractionParameters parameters) {
        String text = parameters.prompt().text() + input.text();
        if (layout.lowerCase()) {
            text = text.toLowerCase(Locale.ROOT);
        }
        Encoding encoding = encoder.tokenizer().encode(text, null);
        int limit = encoder.tokenizer().maxLength();
        if (!parameters.truncate() && encoding.length() >= limit) {
            int whole = encoder.tokenizer().encodeWhole(text, true).length();
            if (whole > limit) {
                throw new InvalidInputException(
                        input.field(),
                        "input of " + whole + " tokens is over the model's limit of " + limit
                                + " (truncate: false was asked)");
            }
        }
        return encoding;
    }

    @Override
    public Object postprocess(
            Integer tokens, List<Map<String, Tensor>> outputs, FeatureExtractionParameters parameters) {
        Tensor states = outputs.getFirst().get(output);
        float[] values = states.toFloats();
        if (pooledByModel) {
            return new Embedding(finish(values, parameters), tokens);
        }
        int hidden = states.dim(1);
        if (parameters.pooling() == Pooling.NONE) {
            float[][] perToken = new float[tokens][];
            for (int t = 0; t < tokens; t++) {
                perToken[t] = Arrays.copyOfRange(values, t * hidden, (t + 1) * hidden);
                if (parameters.normalize()) {
                    perToken[t] = Vectors.normalise(perToken[t]);
                }
            }
            return new Embedding(perToken, tokens);
        }
        int from = layout.includePrompt() ? 0 : Math.min(parameters.prompt().pooledFrom(), tokens - 1);
        return new Embedding(finish(parameters.pooling().pool(values, tokens, hidden, from), parameters), tokens);
    }

    /** Normalised when asked; a Matryoshka cut is made on the finished vector, then normalised again. */
    private float[] finish(float[] pooled, FeatureExtractionParameters parameters) {
        float[] vector = parameters.normalize() ? Vectors.normalise(pooled) : pooled;
        if (parameters.dimensions().isPresent()) {
            int dimensions = parameters.dimensions().getAsInt();
            if (dimensions > vector.length) {
                throw Parameters.invalid(
                        "dimensions",
                        "the model's embeddings have " + vector.length + " dimensions; asked for " + dimensions);
            }
            vector = Arrays.copyOf(vector, dimensions);
            return parameters.normalize() ? Vectors.normalise(vector) : vector;
        }
        return vector;
    }

    @Override
    public TextEncoder encoder() {
        return encoder;
    }
}
