package io.infera.generation;

import io.infera.batching.BatchingMode;
import io.infera.errors.ModelLoadException;
import io.infera.runtime.Backend;
import io.infera.runtime.BatchCoupling;
import io.infera.runtime.DataType;
import io.infera.runtime.Tensor;
import io.infera.runtime.TensorSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A decoder-only language model exported with its attention cache, as optimum exports one
 * ({@code model.onnx}, or {@code decoder_model_merged.onnx} with its {@code use_cache_branch}):
 * {@code input_ids}, {@code attention_mask}, optional {@code position_ids} and
 * {@code past_key_values.N.key/value} in; {@code logits} and {@code present.N.key/value} out. One
 * {@link #step} runs several sequences together: their pasts of different lengths are left-padded
 * (and masked) to the longest, every sequence's new tokens have the same count, and each gets back
 * its next-token logits and its cache grown by those tokens, without the padding. Which sequences
 * may share a step without changing each other's answers depends on the graph ({@link StepSharing}).
 */
public final class CausalLm {

    /** Which sequences may run in one step without changing each other's answers. */
    public enum StepSharing {
        /** Any: pasts of different lengths are left-padded and masked, and position_ids keeps each row's positions. */
        ANY(new BatchingMode(
                "continuous",
                "sequences join and leave between decoder steps; pasts of different lengths "
                        + "are left-padded and masked, and position_ids keeps every row's positions")),
        /**
         * Only sequences at the same position: a graph without position_ids counts positions from the
         * (padded) past length, so a left-padded row would be read at shifted positions.
         */
        SAME_POSITION(
                new BatchingMode(
                        "continuous-same-position",
                        "the decoder has no position_ids input and counts "
                                + "positions from the past's length, so only sequences at the same position share a step (no padding)")),
        /** None: the graph couples the rows of a run. */
        NONE(null);

        private final BatchingMode mode;

        StepSharing(BatchingMode mode) {
            this.mode = mode;
        }
    }

    private static final Pattern PAST = Pattern.compile("past_key_values\\.(\\d+)\\.key");

    private final Backend backend;
    private final int layers;
    private final int heads;
    private final int headDim;
    private final boolean positionIds;
    private final boolean cacheBranch;
    private final StepSharing sharing;
    private final BatchingMode batching;
    private final List<String> outputs;

    private CausalLm(Backend backend, int layers, int heads, int headDim, boolean positionIds, boolean cacheBranch) {
        this.backend = backend;
        Optional<String> coupling = BatchCoupling.of(backend.operators());
        this.sharing =
                coupling.isPresent() ? StepSharing.NONE : positionIds ? StepSharing.ANY : StepSharing.SAME_POSITION;
        this.batching = coupling.map(reason ->
                        new BatchingMode("one-sequence-per-step", reason + "; each sequence runs its own steps"))
                .orElse(sharing.mode);
        this.layers = layers;
        this.heads = heads;
        this.headDim = headDim;
        this.positionIds = positionIds;
        this.cacheBranch = cacheBranch;
        List<String> wanted = new ArrayList<>(List.of("logits"));
        for (int layer = 0; layer < layers; layer++) {
            wanted.add("present." + layer + ".key");
            wanted.add("present." + layer + ".value");
        }
        this.outputs = List.copyOf(wanted);
    }

    /** Checks that the model has the inputs and outputs of a decoder with past. */
    public static CausalLm of(Backend backend) throws ModelLoadException {
        int layers = 0;
        TensorSpec past = null;
        for (TensorSpec input : backend.inputs()) {
            Matcher m = PAST.matcher(input.name());
            if (m.matches()) {
                layers = Math.max(layers, Integer.parseInt(m.group(1)) + 1);
                past = input;
            }
        }
        Optional<TensorSpec> ids = find(backend.inputs(), "input_ids");
        if (past == null
                || ids.isEmpty()
                || find(backend.inputs(), "attention_mask").isEmpty()
                || find(backend.outputs(), "logits").isEmpty()) {
            throw new ModelLoadException("text generation needs a decoder exported with its cache (optimum's "
                    + "decoder with past: input_ids, attention_mask, past_key_values.N.key/value -> logits, present.N.key/value); "
                    + "the model has "
                    + backend.inputs().stream().map(TensorSpec::name).toList());
        }
        if (past.type() != DataType.FP32 || past.rank() != 4 || past.shape()[1] < 1 || past.shape()[3] < 1) {
            throw new ModelLoadException(
                    "past_key_values must be float32 [batch, heads, past, head_dim] with fixed heads "
                            + "and head_dim; the model declares " + past);
        }
        for (int layer = 0; layer < layers; layer++) {
            for (String kind : new String[] {"key", "value"}) {
                if (find(backend.inputs(), "past_key_values." + layer + "." + kind)
                                .isEmpty()
                        || find(backend.outputs(), "present." + layer + "." + kind)
                                .isEmpty()) {
                    throw new ModelLoadException("layer " + layer + " lacks past_key_values." + layer + "." + kind
                            + " or present." + layer + "." + kind);
                }
            }
        }
        boolean positions = find(backend.inputs(), "position_ids").isPresent();
        boolean merged = find(backend.inputs(), "use_cache_branch").isPresent();
        return new CausalLm(backend, layers, (int) past.shape()[1], (int) past.shape()[3], positions, merged);
    }

    private static Optional<TensorSpec> find(List<TensorSpec> specs, String name) {
        return specs.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    int layers() {
        return layers;
    }

    StepSharing sharing() {
        return sharing;
    }

    /** How the model's sequences share steps, and why. */
    public BatchingMode batching() {
        return batching;
    }

    /** The next-token logits of one sequence and its cache after the step. */
    record Output(float[] logits, KvCache cache) {}

    /**
     * Runs one step for sequences that each bring {@code tokens[i]} (all the same length) after
     * their cache {@code caches[i]}.
     */
    List<Output> step(List<int[]> tokens, List<KvCache> caches) {
        int batch = tokens.size();
        int length = tokens.getFirst().length;
        int maxPast = caches.stream().mapToInt(KvCache::length).max().orElse(0);
        int total = maxPast + length;
        long[] ids = new long[batch * length];
        long[] mask = new long[batch * total];
        long[] positions = new long[batch * length];
        for (int b = 0; b < batch; b++) {
            int past = caches.get(b).length();
            for (int t = 0; t < length; t++) {
                ids[b * length + t] = tokens.get(b)[t];
                positions[b * length + t] = past + t;
            }
            for (int t = maxPast - past; t < total; t++) {
                mask[b * total + t] = 1;
            }
        }
        Map<String, Tensor> feeds = new HashMap<>();
        feeds.put("input_ids", Tensor.of(ids, batch, length));
        feeds.put("attention_mask", Tensor.of(mask, batch, total));
        if (positionIds) {
            feeds.put("position_ids", Tensor.of(positions, batch, length));
        }
        if (cacheBranch) { // optimum's merged decoder: the branch with the past once there is one
            feeds.put("use_cache_branch", Tensor.of(new boolean[] {maxPast > 0}, 1));
        }
        for (int layer = 0; layer < layers; layer++) {
            feeds.put("past_key_values." + layer + ".key", leftPadded(caches, layer, true, maxPast));
            feeds.put("past_key_values." + layer + ".value", leftPadded(caches, layer, false, maxPast));
        }
        Map<String, Tensor> out = backend.run(feeds, outputs);
        return split(out, caches, batch, length, total);
    }

    private List<Output> split(Map<String, Tensor> out, List<KvCache> caches, int batch, int length, int total) {
        Tensor logits = out.get("logits");
        int vocabulary = logits.dim(2);
        float[] all = logits.floats();
        List<Output> results = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            float[] last = new float[vocabulary];
            System.arraycopy(all, (b * length + length - 1) * vocabulary, last, 0, vocabulary);
            int kept = caches.get(b).length() + length;
            float[][] keys = new float[layers][];
            float[][] values = new float[layers][];
            for (int layer = 0; layer < layers; layer++) {
                keys[layer] = unpadded(out.get("present." + layer + ".key"), b, total, kept);
                values[layer] = unpadded(out.get("present." + layer + ".value"), b, total, kept);
            }
            results.add(new Output(last, new KvCache(keys, values, kept)));
        }
        return results;
    }

    /** The batch's caches of one layer as [batch, heads, maxPast, headDim], each row's past at the right end. */
    private Tensor leftPadded(List<KvCache> caches, int layer, boolean keys, int maxPast) {
        int batch = caches.size();
        float[] data = new float[batch * heads * maxPast * headDim];
        for (int b = 0; b < batch; b++) {
            KvCache cache = caches.get(b);
            float[] source = keys ? cache.keys(layer) : cache.values(layer);
            int past = cache.length();
            for (int h = 0; h < heads; h++) {
                System.arraycopy(
                        source,
                        h * past * headDim,
                        data,
                        ((b * heads + h) * maxPast + maxPast - past) * headDim,
                        past * headDim);
            }
        }
        return Tensor.of(data, batch, heads, maxPast, headDim);
    }

    /** Row b of a present [batch, heads, total, headDim] without its left padding: [heads, kept, headDim]. */
    private float[] unpadded(Tensor present, int b, int total, int kept) {
        float[] source = present.floats();
        float[] out = new float[heads * kept * headDim];
        for (int h = 0; h < heads; h++) {
            System.arraycopy(
                    source,
                    ((b * heads + h) * total + total - kept) * headDim,
                    out,
                    h * kept * headDim,
                    kept * headDim);
        }
        return out;
    }
}
