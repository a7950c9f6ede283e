package io.infera.tasks.sparseembedding;

import com.fasterxml.jackson.annotation.JsonInclude;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * SPLADE-style sparse embeddings from a masked-LM export ({@code logits} [batch, tokens,
 * vocabulary]): a vocabulary entry's weight is the maximum over the text's real tokens of
 * {@code log(1 + relu(logit))}; the non-zero weights are answered sorted by token id, or only the
 * {@code top_k} largest (still by id), with the token strings on request.
 */
public final class SparseEmbeddingTask implements TextTask<SparseEmbeddingTask.SparseParameters, Integer> {

    private final TextEncoder encoder;
    private final String output;

    /**
     * @param topK         keep only this many largest weights; all when empty
     * @param returnTokens answer each entry's vocabulary string too
     */
    public record SparseParameters(OptionalInt topK, boolean returnTokens) {}

    /** One non-zero weight of the vocabulary. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SparseValue(int index, float value, String token) {}

    private SparseEmbeddingTask(TextEncoder encoder, String output) {
        this.encoder = encoder;
        this.output = output;
    }

    public static SparseEmbeddingTask create(TaskContext context) throws ModelLoadException {
        TensorSpec logits = context.output("logits")
                .orElse(context.outputs().size() == 1 ? context.outputs().getFirst() : null);
        if (logits == null || logits.rank() != 3) {
            throw new ModelLoadException(
                    "sparse-embedding needs a masked-LM output logits [batch, sequence, vocabulary]; the model has "
                            + context.outputs());
        }
        return new SparseEmbeddingTask(TextEncoders.load(context), logits.name());
    }

    @Override
    public TaskType type() {
        return TaskType.SPARSE_EMBEDDING;
    }

    @Override
    public SparseParameters parameters(Parameters p) {
        return new SparseParameters(p.count("top_k", OptionalInt.empty()), p.bool("return_tokens", false));
    }

    /** The context is the number of real tokens: positions past it are batch padding. */
    @Override
    public Preprocessed<Integer> preprocess(TaskInput input, SparseParameters parameters) {
        TextEncoder.Encoded encoded = encoder.encode(input.text(), null);
        return Preprocessed.single(encoded.row(), encoded.encoding().length());
    }

    @Override
    public Object postprocess(Integer tokens, List<Map<String, Tensor>> outputs, SparseParameters parameters) {
        Tensor logits = outputs.getFirst().get(output);
        int vocabulary = logits.dim(1);
        float[] values = logits.toFloats();
        float[] weights = new float[vocabulary];
        for (int t = 0; t < tokens; t++) {
            for (int v = 0; v < vocabulary; v++) {
                float logit = values[t * vocabulary + v];
                if (logit > 0) {
                    weights[v] = Math.max(weights[v], (float) Math.log1p(logit));
                }
            }
        }
        List<SparseValue> nonZero = new ArrayList<>();
        for (int v = 0; v < vocabulary; v++) {
            if (weights[v] > 0) {
                String token =
                        parameters.returnTokens() ? encoder.tokenizer().token(v).orElse(null) : null;
                nonZero.add(new SparseValue(v, weights[v], token));
            }
        }
        if (parameters.topK().isPresent() && parameters.topK().getAsInt() < nonZero.size()) {
            nonZero.sort(Comparator.comparingDouble(s -> -s.value()));
            nonZero = new ArrayList<>(nonZero.subList(0, parameters.topK().getAsInt()));
            nonZero.sort(Comparator.comparingInt(SparseValue::index));
        }
        return nonZero;
    }

    @Override
    public TextEncoder encoder() {
        return encoder;
    }
}
