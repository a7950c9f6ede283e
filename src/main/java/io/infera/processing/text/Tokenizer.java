package io.infera.processing.text;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** Turns text into token ids as the model's own tokenizer does. Safe for concurrent use. */
public interface Tokenizer extends AutoCloseable {

    /**
     * Tokenizes a text, or a text pair when {@code pair} is not null, with the model's special
     * tokens, truncated to {@link #maxLength()} tokens and not padded: padding is the batcher's job.
     */
    Encoding encode(String text, String pair);

    /**
     * Tokenizes a text without truncating it, with or without the special tokens: what a client
     * counts to budget a context, and how an input over the limit is told from one that fits.
     */
    Encoding encodeWhole(String text, boolean addSpecialTokens);

    /**
     * Tokenizes a text pair truncating only the first text, so that the second (a hypothesis, a
     * question's label) is kept whole, as zero-shot classification needs.
     */
    Encoding encodeTruncatingFirst(String text, String pair);

    /**
     * Tokenizes a long text into overlapping windows of at most {@code maxLength} tokens with the
     * special tokens, as the tokenizers library's overflowing tokens with {@code stride} do: for a
     * pair only the second text is windowed and every window repeats the first. The first window
     * comes first; a text that fits gives one window.
     */
    List<Encoding> encodeWindows(String text, String pair, int maxLength, int stride);

    /** Token ids back to text, as transformers' {@code tokenizer.decode} does. */
    String decode(long[] ids, boolean skipSpecialTokens);

    /** Token strings joined back into text, as transformers' {@code convert_tokens_to_string} does. */
    String tokensToString(List<String> tokens);

    /** The id of a vocabulary entry (token string as stored, e.g. {@code ##ing}), if there is one. */
    OptionalLong vocabularyId(String token);

    /** What the tokenizer folder says besides the vocabulary: special tokens, decoder, limits. */
    TokenizerSettings settings();

    /** The vocabulary entry of an id (the token string as stored, e.g. {@code ##ing}), if there is one. */
    Optional<String> token(long id);

    /** One past the highest token id of the vocabulary (added tokens included). */
    long vocabularySize();

    /** The longest encoding this tokenizer produces. */
    int maxLength();

    /** The id used to pad input_ids. */
    long padTokenId();

    /** The id of a special or added token such as {@code [MASK]}, if the vocabulary has it. */
    OptionalLong specialTokenId(String token);

    @Override
    void close();
}
