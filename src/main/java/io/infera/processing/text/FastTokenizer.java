package io.infera.processing.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A Hugging Face "fast" tokenizer (tokenizer.json, the Rust tokenizers library) through DJL's
 * JNI binding. Whatever padding the tokenizer.json declares is switched off: Infera pads per
 * batch, not per request.
 */
public final class FastTokenizer implements Tokenizer {

    /** Windowing tokenizers kept, by (max length, stride, pair): the stride is a request parameter. */
    private static final int MAX_WINDOW_CONFIGS = 8;

    private final Path file;
    private final HuggingFaceTokenizer tokenizer;
    private final HuggingFaceTokenizer truncatingFirst;
    private final HuggingFaceTokenizer whole;
    private final TokenizerSettings settings;
    private final Map<String, Long> vocabulary;
    private final long vocabularySize;
    private final String[] tokensById;
    private final int maxLength;
    private final long padTokenId;
    private final Map<List<Integer>, HuggingFaceTokenizer> windowing = new LinkedHashMap<>();

    private FastTokenizer(
            Path file,
            HuggingFaceTokenizer tokenizer,
            HuggingFaceTokenizer truncatingFirst,
            HuggingFaceTokenizer whole,
            TokenizerSettings settings,
            Map<String, Long> vocabulary,
            int maxLength,
            long padTokenId) {
        this.file = file;
        this.tokenizer = tokenizer;
        this.truncatingFirst = truncatingFirst;
        this.whole = whole;
        this.settings = settings;
        this.vocabulary = vocabulary;
        this.vocabularySize =
                vocabulary.values().stream().mapToLong(Long::longValue).max().orElse(-1) + 1;
        this.tokensById = new String[Math.toIntExact(vocabularySize)];
        vocabulary.forEach((token, id) -> tokensById[Math.toIntExact(id)] = token);
        this.maxLength = maxLength;
        this.padTokenId = padTokenId;
    }

    /**
     * Loads a tokenizer.json file.
     *
     * @param maxLength the longest encoding; longer inputs are truncated (longest first for pairs),
     *                  as the transformers pipelines do with {@code truncation=True}
     */
    public static FastTokenizer load(Path tokenizerJson, TokenizerSettings settings, int maxLength) throws IOException {
        HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(
                tokenizerJson,
                Map.of(
                        "padding", "false",
                        "truncation", "true",
                        "maxLength", Integer.toString(maxLength),
                        "addSpecialTokens", "true"));
        long padId = settings.padToken() == null ? 0 : settings.addedTokens().getOrDefault(settings.padToken(), 0L);
        HuggingFaceTokenizer truncatingFirst = HuggingFaceTokenizer.newInstance(
                tokenizerJson,
                Map.of(
                        "padding", "false",
                        "truncation", "only_first",
                        "maxLength", Integer.toString(maxLength),
                        "addSpecialTokens", "true"));
        HuggingFaceTokenizer whole = HuggingFaceTokenizer.newInstance(
                tokenizerJson, Map.of("padding", "false", "truncation", "false", "addSpecialTokens", "true"));
        return new FastTokenizer(
                tokenizerJson,
                tokenizer,
                truncatingFirst,
                whole,
                settings,
                vocabulary(tokenizerJson, settings),
                maxLength,
                padId);
    }

    /** The vocabulary model's token → id map (WordPiece and BPE keep one; Unigram a list) plus the added tokens. */
    private static Map<String, Long> vocabulary(Path tokenizerJson, TokenizerSettings settings) throws IOException {
        JsonNode vocab = new ObjectMapper()
                .readTree(tokenizerJson.toFile())
                .path("model")
                .path("vocab");
        Map<String, Long> ids = new HashMap<>();
        if (vocab.isObject()) {
            vocab.properties().forEach(e -> ids.put(e.getKey(), e.getValue().asLong()));
        } else if (vocab.isArray()) {
            for (int i = 0; i < vocab.size(); i++) {
                ids.put(vocab.get(i).path(0).asText(), (long) i);
            }
        }
        ids.putAll(settings.addedTokens());
        return Map.copyOf(ids);
    }

    @Override
    public Encoding encode(String text, String pair) {
        ai.djl.huggingface.tokenizers.Encoding e = pair == null ? tokenizer.encode(text) : tokenizer.encode(text, pair);
        return convert(e, e.exceedMaxLength());
    }

    @Override
    public Encoding encodeWhole(String text, boolean addSpecialTokens) {
        return convert(whole.encode(text, addSpecialTokens, false), false);
    }

    @Override
    public Encoding encodeTruncatingFirst(String text, String pair) {
        ai.djl.huggingface.tokenizers.Encoding e = truncatingFirst.encode(text, pair);
        return convert(e, e.exceedMaxLength());
    }

    @Override
    public List<Encoding> encodeWindows(String text, String pair, int windowLength, int stride) {
        HuggingFaceTokenizer cached = cachedWindowing(windowLength, stride, pair != null);
        HuggingFaceTokenizer windows = cached != null ? cached : newWindowing(windowLength, stride, pair != null);
        try {
            ai.djl.huggingface.tokenizers.Encoding first =
                    pair == null ? windows.encode(text, true, true) : windows.encode(text, pair, true, true);
            List<Encoding> out = new ArrayList<>();
            out.add(convert(first, false));
            ai.djl.huggingface.tokenizers.Encoding[] overflowing = first.getOverflowing();
            if (overflowing != null) {
                for (ai.djl.huggingface.tokenizers.Encoding e : overflowing) {
                    out.add(convert(e, false));
                }
            }
            return out;
        } finally {
            if (cached == null) {
                windows.close();
            }
        }
    }

    /** A kept windowing tokenizer, or null when this many settings are cached already (then the caller makes its own). */
    private synchronized HuggingFaceTokenizer cachedWindowing(int windowLength, int stride, boolean pair) {
        List<Integer> key = List.of(windowLength, stride, pair ? 1 : 0);
        HuggingFaceTokenizer cached = windowing.get(key);
        if (cached == null && windowing.size() < MAX_WINDOW_CONFIGS) {
            cached = newWindowing(windowLength, stride, pair);
            windowing.put(key, cached);
        }
        return cached;
    }

    private HuggingFaceTokenizer newWindowing(int windowLength, int stride, boolean pair) {
        try {
            return HuggingFaceTokenizer.newInstance(
                    file,
                    Map.of(
                            "padding",
                            "false",
                            "truncation",
                            pair ? "only_second" : "true",
                            "maxLength",
                            Integer.toString(windowLength),
                            "stride",
                            Integer.toString(stride),
                            "withOverflowingTokens",
                            "true",
                            "addSpecialTokens",
                            "true"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Encoding convert(ai.djl.huggingface.tokenizers.Encoding e, boolean truncated) {
        long[] ids = e.getIds();
        CharSpan[] spans = e.getCharTokenSpans();
        long[] sequences = e.getSequenceIds();
        long[] words = e.getWordIds();
        long[] special = e.getSpecialTokenMask();
        int n = ids.length;
        int[] starts = new int[n];
        int[] ends = new int[n];
        int[] sequenceIds = new int[n];
        int[] wordIds = new int[n];
        for (int i = 0; i < n; i++) {
            boolean isSpecial = special[i] != 0 || spans[i] == null;
            starts[i] = isSpecial ? -1 : spans[i].getStart();
            ends[i] = isSpecial ? -1 : spans[i].getEnd();
            sequenceIds[i] = isSpecial ? -1 : (int) sequences[i];
            wordIds[i] = isSpecial ? -1 : (int) words[i];
        }
        return new Encoding(
                ids,
                e.getTypeIds(),
                e.getAttentionMask(),
                e.getTokens(),
                starts,
                ends,
                sequenceIds,
                wordIds,
                truncated);
    }

    @Override
    public String decode(long[] ids, boolean skipSpecialTokens) {
        String text = tokenizer.decode(ids, skipSpecialTokens);
        // transformers cleans up spaces after the tokenizers library only when asked, and never for BPE.
        return settings.cleanUpSpaces() && !settings.byteLevelBpe() ? cleanUp(text) : text;
    }

    private static String cleanUp(String text) {
        return text.replace(" .", ".")
                .replace(" ?", "?")
                .replace(" !", "!")
                .replace(" ,", ",")
                .replace(" ' ", "'")
                .replace(" n't", "n't")
                .replace(" 'm", "'m")
                .replace(" 's", "'s")
                .replace(" 've", "'ve")
                .replace(" 're", "'re");
    }

    @Override
    public String tokensToString(List<String> tokens) {
        return settings.decoder().decode(tokens);
    }

    @Override
    public OptionalLong vocabularyId(String token) {
        Long id = vocabulary.get(token);
        return id == null ? OptionalLong.empty() : OptionalLong.of(id);
    }

    @Override
    public TokenizerSettings settings() {
        return settings;
    }

    @Override
    public Optional<String> token(long id) {
        return id >= 0 && id < tokensById.length ? Optional.ofNullable(tokensById[(int) id]) : Optional.empty();
    }

    @Override
    public long vocabularySize() {
        return vocabularySize;
    }

    @Override
    public int maxLength() {
        return maxLength;
    }

    @Override
    public long padTokenId() {
        return padTokenId;
    }

    @Override
    public OptionalLong specialTokenId(String token) {
        Long id = settings.addedTokens().get(token);
        return id == null ? OptionalLong.empty() : OptionalLong.of(id);
    }

    @Override
    public synchronized void close() {
        tokenizer.close();
        truncatingFirst.close();
        whole.close();
        windowing.values().forEach(HuggingFaceTokenizer::close);
        windowing.clear();
    }
}
