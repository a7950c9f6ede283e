package io.infera.tasks;

import io.infera.batching.Row;
import io.infera.processing.text.Encoding;
import io.infera.processing.text.Tokenizer;
import io.infera.runtime.DataType;
import io.infera.runtime.Tensor;
import io.infera.runtime.TensorSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tokenizes text into the tensors a transformer encoder takes: {@code input_ids} and, when the
 * model declares them, {@code attention_mask} and {@code token_type_ids}, each without the batch
 * axis and in the integer type the model declares.
 */
public final class TextEncoder implements AutoCloseable {

    public static final String INPUT_IDS = "input_ids";
    public static final String ATTENTION_MASK = "attention_mask";
    public static final String TOKEN_TYPE_IDS = "token_type_ids";
    private static final Set<String> KNOWN = Set.of(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS);

    private final Tokenizer tokenizer;
    private final Map<String, DataType> inputTypes;
    private final PipelineObserver observer;
    /** The unknown token's id, or -1 when the vocabulary has none (byte-level BPE never needs one). */
    private final long unknownId;

    private TextEncoder(Tokenizer tokenizer, Map<String, DataType> inputTypes, PipelineObserver observer) {
        this.tokenizer = tokenizer;
        this.inputTypes = inputTypes;
        this.observer = observer;
        String unknown = tokenizer.settings().unkToken();
        this.unknownId = unknown == null ? -1 : tokenizer.vocabularyId(unknown).orElse(-1);
    }

    /**
     * @throws IllegalArgumentException when the model has inputs a text encoder cannot fill
     */
    public static TextEncoder forModel(Tokenizer tokenizer, List<TensorSpec> modelInputs) {
        return forModel(tokenizer, modelInputs, 2);
    }

    /**
     * @param rank the rank of the model's text inputs: 2 for [batch, sequence], 3 for
     *             [batch, choices, sequence] (multiple choice)
     * @throws IllegalArgumentException when the model has inputs a text encoder cannot fill
     */
    public static TextEncoder forModel(Tokenizer tokenizer, List<TensorSpec> modelInputs, int rank) {
        return forModel(tokenizer, modelInputs, rank, PipelineObserver.NONE);
    }

    /**
     * @param observer told of every text row made (tokens, unknown tokens, truncation), for input
     *                 monitoring
     */
    public static TextEncoder forModel(
            Tokenizer tokenizer, List<TensorSpec> modelInputs, int rank, PipelineObserver observer) {
        Map<String, DataType> types = new LinkedHashMap<>();
        for (TensorSpec spec : modelInputs) {
            if (!KNOWN.contains(spec.name())) {
                throw new IllegalArgumentException("model input " + spec.name() + " is not a text input (expected "
                        + INPUT_IDS + ", " + ATTENTION_MASK + ", " + TOKEN_TYPE_IDS + ")");
            }
            if (spec.type() != DataType.INT64 && spec.type() != DataType.INT32) {
                throw new IllegalArgumentException(
                        "model input " + spec.name() + " is " + spec.type() + ", expected INT64 or INT32");
            }
            if (spec.rank() != rank) {
                throw new IllegalArgumentException("model input " + spec.name() + " must be "
                        + (rank == 2 ? "[batch, sequence]" : "[batch, choices, sequence]") + ", is rank "
                        + spec.rank());
            }
            types.put(spec.name(), spec.type());
        }
        if (!types.containsKey(INPUT_IDS)) {
            throw new IllegalArgumentException("model has no " + INPUT_IDS + " input");
        }
        return new TextEncoder(tokenizer, types, observer);
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** The encoding of a text (and optional pair) and its model row. */
    public Encoded encode(String text, String pair) {
        Encoding encoding = tokenizer.encode(text, pair);
        return new Encoded(encoding, row(encoding));
    }

    /** A model row of this encoding; its length is the token count. The row is an input the model reads: observed. */
    public Row row(Encoding encoding) {
        observe(encoding);
        return build(encoding);
    }

    private void observe(Encoding encoding) {
        if (observer.watchesInputs()) {
            int unknown = 0;
            if (unknownId >= 0) {
                for (long id : encoding.ids()) {
                    unknown += id == unknownId ? 1 : 0;
                }
            }
            observer.text(encoding.length(), unknown, encoding.truncated());
        }
    }

    private Row build(Encoding encoding) {
        Map<String, Tensor> row = new LinkedHashMap<>();
        for (Map.Entry<String, DataType> input : inputTypes.entrySet()) {
            long[] values = switch (input.getKey()) {
                case INPUT_IDS -> encoding.ids();
                case ATTENTION_MASK -> encoding.attentionMask();
                default -> encoding.typeIds();
            };
            row.put(input.getKey(), integers(values, input.getValue()));
        }
        return new Row(row, encoding.length());
    }

    /**
     * One row of several encodings stacked as [encodings, longest], shorter ones padded as a batch
     * would pad them: for models that take a group of sequences per item (multiple choice).
     */
    public Row stackedRow(List<Encoding> encodings) {
        encodings.forEach(this::observe);
        int longest = encodings.stream().mapToInt(Encoding::length).max().orElse(1);
        Map<String, Tensor> row = new LinkedHashMap<>();
        for (Map.Entry<String, DataType> input : inputTypes.entrySet()) {
            long pad = input.getKey().equals(INPUT_IDS) ? tokenizer.padTokenId() : 0;
            long[] values = new long[encodings.size() * longest];
            java.util.Arrays.fill(values, pad);
            for (int e = 0; e < encodings.size(); e++) {
                Encoding encoding = encodings.get(e);
                long[] source = switch (input.getKey()) {
                    case INPUT_IDS -> encoding.ids();
                    case ATTENTION_MASK -> encoding.attentionMask();
                    default -> encoding.typeIds();
                };
                System.arraycopy(source, 0, values, e * longest, source.length);
            }
            Tensor flat = integers(values, input.getValue());
            row.put(input.getKey(), new Tensor(flat.type(), new long[] {encodings.size(), longest}, flat.data()));
        }
        return new Row(row, longest);
    }

    /** A row of {@code length} pad tokens (at most the tokenizer's limit), all attended: the shape of a real row, for warm-up. */
    public Row warmupRow(int requested) {
        int length = Math.min(requested, tokenizer.maxLength());
        long[] ids = new long[length];
        java.util.Arrays.fill(ids, tokenizer.padTokenId());
        long[] ones = new long[length];
        java.util.Arrays.fill(ones, 1);
        return build(new Encoding(
                ids,
                new long[length],
                ones,
                new String[length],
                new int[length],
                new int[length],
                new int[length],
                new int[length],
                false));
    }

    /** input_ids are padded with the tokenizer's pad id; masks and segment ids with 0. */
    public Map<String, Number> padValues() {
        return Map.of(INPUT_IDS, tokenizer.padTokenId());
    }

    private static Tensor integers(long[] values, DataType type) {
        if (type == DataType.INT64) {
            return Tensor.of(values, values.length);
        }
        int[] ints = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            ints[i] = Math.toIntExact(values[i]);
        }
        return Tensor.of(ints, ints.length);
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    /** A tokenized text and the model row made from it. */
    public record Encoded(Encoding encoding, Row row) {}
}
