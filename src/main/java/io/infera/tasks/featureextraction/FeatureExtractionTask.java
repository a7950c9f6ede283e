package io.infera.tasks.featureextraction;

import io.infera.errors.ModelLoadException;
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
 */
public final class FeatureExtractionTask implements TextTask<FeatureExtractionParameters, Integer> {

    private final TextEncoder encoder;
    private final String output;
    private final boolean pooledByModel;
    private final SentenceTransformersLayout defaults;

    private FeatureExtractionTask(
            TextEncoder encoder, String output, boolean pooledByModel, SentenceTransformersLayout defaults) {
        this.encoder = encoder;
        this.output = output;
        this.pooledByModel = pooledByModel;
        this.defaults = defaults;
    }

    public static FeatureExtractionTask create(TaskContext context) throws ModelLoadException {
        TensorSpec out = context.output("last_hidden_state")
                .or(() -> context.output("sentence_embedding"))
                .orElse(context.outputs().getFirst());
        if (out.rank() != 3 && out.rank() != 2) {
            throw new ModelLoadException(
                    "embedding output " + out.name() + " must be [batch, tokens, hidden] or [batch, hidden]");
        }
        SentenceTransformersLayout defaults;
        try {
            defaults = SentenceTransformersLayout.read(context.files(), context.json());
        } catch (IOException e) {
            throw new ModelLoadException("sentence-transformers settings: " + e.getMessage(), e);
        }
        // sentence_bert_config.json's max_seq_length wins over the tokenizer's limit, as in sentence-transformers;
        // serving.yaml's max_tokens wins over both
        OptionalInt maxTokens =
                context.settings().maxTokens().isPresent() ? context.settings().maxTokens() : defaults.maxSeqLength();
        return new FeatureExtractionTask(TextEncoders.load(context, maxTokens), out.name(), out.rank() == 2, defaults);
    }

    @Override
    public TaskType type() {
        return TaskType.FEATURE_EXTRACTION;
    }

    @Override
    public FeatureExtractionParameters parameters(Parameters p) {
        return new FeatureExtractionParameters(
                p.choice("pooling", Pooling.class, defaults.pooling()), p.bool("normalize", defaults.normalize()));
    }

    /** The context is the number of real tokens: positions past it are batch padding. */
    @Override
    public Preprocessed<Integer> preprocess(TaskInput input, FeatureExtractionParameters parameters) {
        String text = defaults.lowerCase() ? input.text().toLowerCase(Locale.ROOT) : input.text();
        TextEncoder.Encoded encoded = encoder.encode(text, null);
        return Preprocessed.single(encoded.row(), encoded.encoding().length());
    }

    @Override
    public Object postprocess(
            Integer tokens, List<Map<String, Tensor>> outputs, FeatureExtractionParameters parameters) {
        Tensor states = outputs.getFirst().get(output);
        float[] values = states.toFloats();
        if (pooledByModel) {
            return parameters.normalize() ? normalise(values) : values;
        }
        int hidden = states.dim(1);
        float[] pooled = switch (parameters.pooling()) {
            case NONE -> null;
            case CLS -> Arrays.copyOf(values, hidden);
            case MEAN -> mean(values, tokens, hidden);
        };
        if (pooled == null) {
            float[][] perToken = new float[tokens][];
            for (int t = 0; t < tokens; t++) {
                perToken[t] = Arrays.copyOfRange(values, t * hidden, (t + 1) * hidden);
                if (parameters.normalize()) {
                    perToken[t] = normalise(perToken[t]);
                }
            }
            return perToken;
        }
        return parameters.normalize() ? normalise(pooled) : pooled;
    }

    private static float[] mean(float[] values, int tokens, int hidden) {
        double[] sum = new double[hidden];
        for (int t = 0; t < tokens; t++) {
            for (int h = 0; h < hidden; h++) {
                sum[h] += values[t * hidden + h];
            }
        }
        float[] mean = new float[hidden];
        for (int h = 0; h < hidden; h++) {
            mean[h] = (float) (sum[h] / Math.max(tokens, 1));
        }
        return mean;
    }

    /** Unit L2 length, with sentence-transformers' guard against dividing by zero. */
    private static float[] normalise(float[] vector) {
        double norm = 0;
        for (float v : vector) {
            norm += (double) v * v;
        }
        double scale = 1.0 / Math.max(Math.sqrt(norm), 1e-12);
        float[] out = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            out[i] = (float) (vector[i] * scale);
        }
        return out;
    }

    @Override
    public TextEncoder encoder() {
        return encoder;
    }
}
