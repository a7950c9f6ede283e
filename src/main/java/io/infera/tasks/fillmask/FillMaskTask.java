package io.infera.tasks.fillmask;

import io.infera.errors.InvalidInputException;
import io.infera.errors.ModelLoadException;
import io.infera.processing.Softmax;
import io.infera.processing.text.Encoding;
import io.infera.processing.text.Tokenizer;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Masked-token prediction as the transformers fill-mask pipeline answers it: for each mask token
 * in the text, the {@code top_k} most likely tokens (or the best of {@code targets}) with their
 * probability and the completed text. One mask gives a list, several give a list per mask.
 */
public final class FillMaskTask implements TextTask<FillMaskParameters, Encoding> {

    private static final int DEFAULT_TOP_K = 5;

    private final TextEncoder encoder;
    private final String output;
    private final long maskId;
    private final String maskToken;

    /** One proposal for a mask. */
    public record Proposal(float score, long token, String token_str, String sequence) {}

    private FillMaskTask(TextEncoder encoder, String output, long maskId, String maskToken) {
        this.encoder = encoder;
        this.output = output;
        this.maskId = maskId;
        this.maskToken = maskToken;
    }

    public static FillMaskTask create(TaskContext context) throws ModelLoadException {
        TensorSpec logits = context.output("logits")
                .orElse(context.outputs().size() == 1 ? context.outputs().getFirst() : null);
        if (logits == null || logits.rank() != 3) {
            throw new ModelLoadException(
                    "fill-mask needs an output logits [batch, sequence, vocabulary]; the model has "
                            + context.outputs());
        }
        TextEncoder encoder = TextEncoders.load(context);
        String mask = encoder.tokenizer().settings().maskToken();
        OptionalLong maskId =
                mask == null ? OptionalLong.empty() : encoder.tokenizer().vocabularyId(mask);
        if (maskId.isEmpty()) {
            encoder.close();
            throw new ModelLoadException(
                    "fill-mask needs a mask token: tokenizer_config.json mask_token naming a vocabulary entry");
        }
        return new FillMaskTask(encoder, logits.name(), maskId.getAsLong(), mask);
    }

    @Override
    public TaskType type() {
        return TaskType.FILL_MASK;
    }

    @Override
    public FillMaskParameters parameters(Parameters p) {
        int topK = p.integer("top_k", DEFAULT_TOP_K, 1, 1_000_000);
        List<String> targets = p.strings("targets", null);
        if (targets == null) {
            return new FillMaskParameters(topK, null);
        }
        long[] ids = targetIds(targets);
        return new FillMaskParameters(Math.min(topK, ids.length), ids);
    }

    /**
     * Each target's vocabulary id; a target that is not a vocabulary entry counts as its first
     * token, and one that tokenizes to nothing is dropped, as the pipeline does.
     */
    private long[] targetIds(List<String> targets) {
        Tokenizer tokenizer = encoder.tokenizer();
        Set<Long> ids = new LinkedHashSet<>();
        for (String target : targets) {
            OptionalLong id = tokenizer.vocabularyId(target);
            if (id.isEmpty()) {
                Encoding encoding = tokenizer.encode(target, null);
                for (int i = 0; i < encoding.length(); i++) {
                    if (encoding.sequenceIds()[i] >= 0) {
                        id = OptionalLong.of(encoding.ids()[i]);
                        break;
                    }
                }
            }
            id.ifPresent(ids::add);
        }
        if (ids.isEmpty()) {
            throw new InvalidInputException(
                    "parameters.targets", "none of the targets is a token of this model's vocabulary");
        }
        return ids.stream().mapToLong(Long::longValue).toArray();
    }

    @Override
    public Preprocessed<Encoding> preprocess(TaskInput input, FillMaskParameters parameters) {
        Encoding encoding = encoder.tokenizer().encode(input.text(), null);
        if (masks(encoding).isEmpty()) {
            throw new InvalidInputException(input.field(), "no mask token (" + maskToken + ") in the text");
        }
        return Preprocessed.single(encoder.row(encoding), encoding);
    }

    private List<Integer> masks(Encoding encoding) {
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < encoding.length(); i++) {
            if (encoding.ids()[i] == maskId) {
                positions.add(i);
            }
        }
        return positions;
    }

    @Override
    public Object postprocess(Encoding encoding, List<Map<String, Tensor>> outputs, FillMaskParameters parameters) {
        Tensor logits = outputs.getFirst().get(output);
        int vocabulary = logits.dim(logits.rank() - 1);
        float[] values = logits.toFloats();
        List<Integer> masks = masks(encoding);
        boolean single = masks.size() == 1;
        List<List<Proposal>> answer = new ArrayList<>();
        for (int mask : masks) {
            float[] probabilities = Softmax.of(values, mask * vocabulary, vocabulary);
            long[] candidates = parameters.targetIds();
            int count = candidates == null ? vocabulary : candidates.length;
            Integer[] order = new Integer[count];
            for (int i = 0; i < count; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(
                    order, (a, b) -> Float.compare(probabilities[id(candidates, b)], probabilities[id(candidates, a)]));
            List<Proposal> proposals = new ArrayList<>();
            for (int k = 0; k < Math.min(parameters.topK(), count); k++) {
                long token = id(candidates, order[k]);
                long[] ids = encoding.ids().clone();
                ids[mask] = token;
                String sequence = encoder.tokenizer().decode(withoutPadding(ids), single);
                proposals.add(new Proposal(
                        probabilities[(int) token],
                        token,
                        encoder.tokenizer().decode(new long[] {token}, false),
                        sequence));
            }
            answer.add(proposals);
        }
        return single ? answer.getFirst() : answer;
    }

    private static int id(long[] candidates, int index) {
        return candidates == null ? index : (int) candidates[index];
    }

    private long[] withoutPadding(long[] ids) {
        long pad = encoder.tokenizer().padTokenId();
        return java.util.Arrays.stream(ids).filter(id -> id != pad).toArray();
    }

    @Override
    public TextEncoder encoder() {
        return encoder;
    }
}
