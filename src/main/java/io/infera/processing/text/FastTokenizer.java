package io.infera.processing.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A Hugging Face "fast" tokenizer (tokenizer.json, the Rust tokenizers library) through DJL's
 * JNI binding. Whatever padding the tokenizer.json declares is switched off: Infera pads per
 * batch, not per request.
 */
public final class FastTokenizer implements Tokenizer {

    private final HuggingFaceTokenizer tokenizer;
    private final TokenizerSettings settings;
    private final int maxLength;
    private final long padTokenId;

    private FastTokenizer(HuggingFaceTokenizer tokenizer, TokenizerSettings settings, int maxLength, long padTokenId) {
        this.tokenizer = tokenizer;
        this.settings = settings;
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
        HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of(
                "padding", "false",
                "truncation", "true",
                "maxLength", Integer.toString(maxLength),
                "addSpecialTokens", "true"));
        long padId = settings.padToken() == null ? 0 : settings.addedTokens().getOrDefault(settings.padToken(), 0L);
        return new FastTokenizer(tokenizer, settings, maxLength, padId);
    }

    @Override
    public Encoding encode(String text, String pair) {
        ai.djl.huggingface.tokenizers.Encoding e = pair == null ? tokenizer.encode(text) : tokenizer.encode(text, pair);
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
        return new Encoding(ids, e.getTypeIds(), e.getAttentionMask(), e.getTokens(), starts, ends, sequenceIds, wordIds);
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
    public void close() {
        tokenizer.close();
    }
}
