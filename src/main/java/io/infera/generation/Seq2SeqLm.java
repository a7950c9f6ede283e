package io.infera.generation;

import io.infera.batching.BatchingMode;
import io.infera.errors.ModelLoadException;
import io.infera.runtime.Backend;
import io.infera.runtime.BatchCoupling;
import io.infera.runtime.Tensor;
import io.infera.runtime.TensorSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An encoder-decoder model in optimum's three files: {@code encoder_model.onnx} reads the source
 * once; {@code decoder_model.onnx} takes the first decoder token and returns the self-attention
 * cache and the cross-attention cache (the encoder's keys and values, the same for every later
 * step); {@code decoder_with_past_model.onnx} takes one new token per row with both caches. Rows
 * (the beams of several requests) share a step only when they are at the same position: the
 * export has no decoder attention mask and takes positions from the cache length, so caches of
 * different lengths cannot be padded into one batch. Sources of different lengths can (their
 * mask covers the padding).
 */
public final class Seq2SeqLm implements AutoCloseable {

    private final Backend encoder;
    private final Backend firstDecoder;
    private final Backend decoder;
    private final int layers;
    private final boolean merged;
    private final int hidden;
    private final BatchingMode batching;
    /** Whether the decoders take the source's mask (text sources of different lengths); Whisper's take none. */
    private final boolean sourceMask;

    /** The last step's rows' cross-attention caches and their stacking ({@link #crossFeeds}). */
    private List<KvCache> lastCross = List.of();

    private Map<String, Tensor> lastCrossFeeds = Map.of();

    private Seq2SeqLm(
            Backend encoder,
            Backend firstDecoder,
            Backend decoder,
            int layers,
            boolean merged,
            int hidden,
            boolean sourceMask) {
        this.sourceMask = sourceMask;
        this.encoder = encoder;
        this.firstDecoder = firstDecoder;
        this.decoder = decoder;
        this.layers = layers;
        this.merged = merged;
        this.hidden = hidden;
        Set<String> operators = new HashSet<>(encoder.operators());
        operators.addAll(firstDecoder.operators());
        operators.addAll(decoder.operators());
        this.batching = BatchCoupling.of(operators)
                .map(reason -> new BatchingMode(
                        "one-request-per-wave", reason + "; each request decodes in a wave of its own"))
                .orElse(
                        new BatchingMode(
                                "waves",
                                "requests waiting together start together and share every decoder step; "
                                        + "the decoder takes positions from its cache, so requests arriving later wait for the next wave"));
    }

    /** How requests share decoder steps, and why. */
    public BatchingMode batching() {
        return batching;
    }

    /** Whether requests may share a wave without changing each other's answers. */
    boolean sharesWaves() {
        return batching.mode().equals("waves");
    }

    /**
     * @param firstDecoder decoder_model.onnx, or decoder_model_merged.onnx (then also {@code decoder}:
     *                     its use_cache_branch chooses between the two)
     */
    public static Seq2SeqLm of(Backend encoder, Backend firstDecoder, Backend decoder) throws ModelLoadException {
        if (encoder.inputs().stream().noneMatch(s -> s.name().equals("input_features"))) {
            require(encoder.inputs(), "encoder_model.onnx", "input_ids", "attention_mask");
        }
        require(firstDecoder.inputs(), "decoder_model.onnx", "input_ids", "encoder_hidden_states");
        require(
                decoder.inputs(),
                "decoder_with_past_model.onnx",
                "input_ids",
                "past_key_values.0.decoder.key",
                "past_key_values.0.encoder.key");
        boolean sourceMask =
                firstDecoder.inputs().stream().anyMatch(s -> s.name().equals("encoder_attention_mask"));
        if (sourceMask) {
            require(decoder.inputs(), "decoder_with_past_model.onnx", "encoder_attention_mask");
        }
        int layers = (int) decoder.inputs().stream()
                .filter(s -> s.name().matches("past_key_values\\.\\d+\\.decoder\\.key"))
                .count();
        for (int layer = 0; layer < layers; layer++) {
            require(
                    firstDecoder.outputs(),
                    "decoder_model.onnx",
                    "present." + layer + ".decoder.key",
                    "present." + layer + ".encoder.value");
            require(decoder.outputs(), "decoder_with_past_model.onnx", "present." + layer + ".decoder.key");
        }
        boolean merged = decoder.inputs().stream().anyMatch(i -> i.name().equals("use_cache_branch"));
        long[] states = encoder.outputs().stream()
                .filter(o -> o.name().equals("last_hidden_state"))
                .findFirst()
                .map(TensorSpec::shape)
                .orElse(new long[0]);
        if (merged && (states.length != 3 || states[2] < 1)) {
            throw new ModelLoadException(
                    "a merged decoder needs the encoder's hidden size: encoder_model.onnx declares "
                            + "last_hidden_state " + java.util.Arrays.toString(states));
        }
        return new Seq2SeqLm(
                encoder, firstDecoder, decoder, layers, merged, states.length == 3 ? (int) states[2] : 0, sourceMask);
    }

    private static void require(List<TensorSpec> specs, String file, String... names) throws ModelLoadException {
        for (String name : names) {
            if (specs.stream().noneMatch(s -> s.name().equals(name))) {
                throw new ModelLoadException(
                        file + " lacks " + name + " (an optimum seq2seq export has encoder_model.onnx, "
                                + "decoder_model.onnx and decoder_with_past_model.onnx)");
            }
        }
    }

    /** The encoded source: hidden states [1, source, hidden] and its mask. */
    record Source(Tensor states, long[] mask) {}

    Source encode(int[] ids) {
        long[] wide = new long[ids.length];
        long[] mask = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            wide[i] = ids[i];
            mask[i] = 1;
        }
        Tensor states = encoder.run(
                        Map.of(
                                "input_ids",
                                Tensor.of(wide, 1, ids.length),
                                "attention_mask",
                                Tensor.of(mask, 1, ids.length)),
                        List.of("last_hidden_state"))
                .get("last_hidden_state");
        return new Source(states, mask);
    }

    /**
     * Audio sources (Whisper's log-mel input_features [mels, frames], without the batch axis, all
     * of one shape) in one encoder run: each one's hidden states, every position unmasked.
     */
    List<Source> encode(List<Tensor> features) {
        long[] shape = features.getFirst().shape();
        int size = (int) (shape[0] * shape[1]);
        float[] batch = new float[features.size() * size];
        for (int i = 0; i < features.size(); i++) {
            System.arraycopy(features.get(i).floats(), 0, batch, i * size, size);
        }
        Tensor states = encoder.run(
                        Map.of("input_features", Tensor.of(batch, features.size(), shape[0], shape[1])),
                        List.of("last_hidden_state"))
                .get("last_hidden_state");
        int positions = states.dim(1);
        int hidden = states.dim(2);
        float[] all = states.floats();
        long[] mask = new long[positions];
        java.util.Arrays.fill(mask, 1);
        List<Source> sources = new java.util.ArrayList<>(features.size());
        for (int i = 0; i < features.size(); i++) {
            float[] one = java.util.Arrays.copyOfRange(all, i * positions * hidden, (i + 1) * positions * hidden);
            sources.add(new Source(Tensor.of(one, 1, positions, hidden), mask));
        }
        return sources;
    }

    /** A row's view of its source: the cross-attention cache (padded to the step's longest source) and its mask. */
    record Cross(KvCache cache, long[] mask) {}

    /** One step's answer per row: next-token logits, the row's grown self-attention cache, its cross-attention. */
    record Step(float[][] logits, List<KvCache> selfCaches, List<Cross> cross) {}

    /**
     * The first step for rows that each start from their prompt (all of one length) after their
     * own source (the beams of one request are rows with the same source). Sources of different
     * lengths are padded with zeros and masked (decoders that take no mask see sources of one length).
     */
    Step first(List<Source> sources, List<int[]> prompts) {
        int rows = sources.size();
        int longest = sources.stream().mapToInt(s -> s.mask().length).max().orElse(1);
        int hidden = sources.getFirst().states().dim(2);
        float[] states = new float[rows * longest * hidden];
        long[] masks = new long[rows * longest];
        int promptLength = prompts.getFirst().length;
        long[] ids = new long[rows * promptLength];
        for (int r = 0; r < rows; r++) {
            Source source = sources.get(r);
            System.arraycopy(source.states().floats(), 0, states, r * longest * hidden, source.mask().length * hidden);
            System.arraycopy(source.mask(), 0, masks, r * longest, source.mask().length);
            for (int t = 0; t < promptLength; t++) {
                ids[r * promptLength + t] = prompts.get(r)[t];
            }
        }
        List<String> wanted = new ArrayList<>(List.of("logits"));
        for (int layer = 0; layer < layers; layer++) {
            for (String part : new String[] {"decoder", "encoder"}) {
                wanted.add("present." + layer + "." + part + ".key");
                wanted.add("present." + layer + "." + part + ".value");
            }
        }
        Map<String, Tensor> feeds = new HashMap<>(Map.of(
                "input_ids",
                Tensor.of(ids, rows, promptLength),
                "encoder_hidden_states",
                Tensor.of(states, rows, longest, hidden)));
        if (sourceMask) {
            feeds.put("encoder_attention_mask", Tensor.of(masks, rows, longest));
        }
        if (merged) { // the branch without a past: empty caches, as optimum feeds them
            feeds.put("use_cache_branch", Tensor.of(new boolean[] {false}, 1));
            long[] declared = decoder.inputs().stream()
                    .filter(i -> i.name().equals("past_key_values.0.decoder.key"))
                    .findFirst()
                    .orElseThrow()
                    .shape();
            for (String name : pastNames()) {
                feeds.put(name, Tensor.of(new float[0], rows, declared[1], 0, declared[3]));
            }
        }
        Map<String, Tensor> out = firstDecoder.run(feeds, wanted);
        List<Cross> cross = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            float[][] keys = new float[layers][];
            float[][] values = new float[layers][];
            for (int layer = 0; layer < layers; layer++) {
                keys[layer] = row(out.get("present." + layer + ".encoder.key"), r);
                values[layer] = row(out.get("present." + layer + ".encoder.value"), r);
            }
            cross.add(new Cross(
                    new KvCache(keys, values, longest),
                    java.util.Arrays.copyOfRange(masks, r * longest, (r + 1) * longest)));
        }
        return new Step(lastLogits(out.get("logits"), rows), selfCaches(out, rows), cross);
    }

    /**
     * A later step: row r feeds {@code tokens[r]} after its own cache. All rows are at the same
     * step (their caches have one length), and their cross-attention caches share one padded length.
     */
    Step next(int[] tokens, List<KvCache> selfCaches, List<Cross> cross) {
        int rows = tokens.length;
        int sourceLength = cross.getFirst().mask().length;
        Map<String, Tensor> feeds = new HashMap<>();
        long[] ids = new long[rows];
        long[] masks = new long[rows * sourceLength];
        for (int r = 0; r < rows; r++) {
            ids[r] = tokens[r];
            System.arraycopy(cross.get(r).mask(), 0, masks, r * sourceLength, sourceLength);
        }
        feeds.put("input_ids", Tensor.of(ids, rows, 1));
        if (sourceMask) {
            feeds.put("encoder_attention_mask", Tensor.of(masks, rows, sourceLength));
        }
        if (merged) { // the branch with the past reads the cached cross-attention; the states are only a shape
            feeds.put("use_cache_branch", Tensor.of(new boolean[] {true}, 1));
            feeds.put(
                    "encoder_hidden_states",
                    Tensor.of(new float[rows * sourceLength * hidden], rows, sourceLength, hidden));
        }
        feeds.putAll(crossFeeds(cross));
        List<String> wanted = new ArrayList<>(List.of("logits"));
        for (int layer = 0; layer < layers; layer++) {
            feeds.put("past_key_values." + layer + ".decoder.key", stacked(selfCaches, layer, true));
            feeds.put("past_key_values." + layer + ".decoder.value", stacked(selfCaches, layer, false));
            wanted.add("present." + layer + ".decoder.key");
            wanted.add("present." + layer + ".decoder.value");
        }
        Map<String, Tensor> out = decoder.run(feeds, wanted);
        return new Step(lastLogits(out.get("logits"), rows), selfCaches(out, rows), cross);
    }

    /**
     * The cross-attention caches of a step's rows, stacked. They do not change while the same rows
     * decode, so the last step's stacking is kept and used again while the rows' caches are the
     * same objects in the same order: a Whisper-sized source (1,500 positions) is then stacked
     * once per wave instead of once per token. One generation loop calls {@link #next}: the kept
     * stacking needs no lock.
     */
    private Map<String, Tensor> crossFeeds(List<Cross> cross) {
        List<KvCache> caches = cross.stream().map(Cross::cache).toList();
        if (lastCross.size() == caches.size()) {
            boolean same = true;
            for (int i = 0; i < caches.size() && same; i++) {
                same = lastCross.get(i) == caches.get(i);
            }
            if (same) {
                return lastCrossFeeds;
            }
        }
        Map<String, Tensor> feeds = new HashMap<>();
        for (int layer = 0; layer < layers; layer++) {
            feeds.put("past_key_values." + layer + ".encoder.key", stacked(caches, layer, true));
            feeds.put("past_key_values." + layer + ".encoder.value", stacked(caches, layer, false));
        }
        lastCross = caches;
        lastCrossFeeds = Map.copyOf(feeds);
        return lastCrossFeeds;
    }

    private List<KvCache> selfCaches(Map<String, Tensor> out, int beams) {
        List<KvCache> caches = new ArrayList<>(beams);
        int length = out.get("present.0.decoder.key").dim(2);
        for (int b = 0; b < beams; b++) {
            float[][] keys = new float[layers][];
            float[][] values = new float[layers][];
            for (int layer = 0; layer < layers; layer++) {
                keys[layer] = row(out.get("present." + layer + ".decoder.key"), b);
                values[layer] = row(out.get("present." + layer + ".decoder.value"), b);
            }
            caches.add(new KvCache(keys, values, length));
        }
        return caches;
    }

    /** Batch row b of a [batch, heads, length, headDim] tensor. */
    private static float[] row(Tensor t, int b) {
        int size = t.elementCount() / t.dim(0);
        float[] out = new float[size];
        System.arraycopy(t.floats(), b * size, out, 0, size);
        return out;
    }

    private Tensor stacked(List<KvCache> caches, int layer, boolean keys) {
        KvCache firstCache = caches.getFirst();
        int size = (keys ? firstCache.keys(layer) : firstCache.values(layer)).length;
        float[] data = new float[caches.size() * size];
        for (int b = 0; b < caches.size(); b++) {
            System.arraycopy(keys ? caches.get(b).keys(layer) : caches.get(b).values(layer), 0, data, b * size, size);
        }
        int headsTimesDim = size / firstCache.length();
        return shaped(data, caches.size(), firstCache.length(), headsTimesDim, layer);
    }

    private List<String> pastNames() {
        List<String> names = new ArrayList<>();
        for (int layer = 0; layer < layers; layer++) {
            for (String part : new String[] {"decoder", "encoder"}) {
                names.add("past_key_values." + layer + "." + part + ".key");
                names.add("past_key_values." + layer + "." + part + ".value");
            }
        }
        return names;
    }

    /** [batch, heads, length, headDim] with heads and headDim from the declared past shape. */
    private Tensor shaped(float[] data, int batch, int length, int headsTimesDim, int layer) {
        long[] declared = decoder.inputs().stream()
                .filter(s -> s.name().equals("past_key_values." + layer + ".decoder.key"))
                .findFirst()
                .orElseThrow()
                .shape();
        int heads = declared[1] > 0 ? (int) declared[1] : 1;
        return Tensor.of(data, batch, heads, length, headsTimesDim / heads);
    }

    private static float[][] lastLogits(Tensor logits, int beams) {
        int length = logits.dim(1);
        int vocabulary = logits.dim(2);
        float[] all = logits.floats();
        float[][] out = new float[beams][vocabulary];
        for (int b = 0; b < beams; b++) {
            System.arraycopy(all, (b * length + length - 1) * vocabulary, out[b], 0, vocabulary);
        }
        return out;
    }

    /** Closes the decoders; the encoder is the registry's backend for the model and closed with it. */
    @Override
    public void close() {
        firstDecoder.close();
        if (decoder != firstDecoder) {
            decoder.close();
        }
    }
}
