package io.infera.processing.text;

import java.util.OptionalLong;

/** Turns text into token ids as the model's own tokenizer does. Safe for concurrent use. */
public interface Tokenizer extends AutoCloseable {

    /**
     * Tokenizes a text, or a text pair when {@code pair} is not null, with the model's special
     * tokens, truncated to {@link #maxLength()} tokens and not padded: padding is the batcher's job.
     */
    Encoding encode(String text, String pair);

    /** The longest encoding this tokenizer produces. */
    int maxLength();

    /** The id used to pad input_ids. */
    long padTokenId();

    /** The id of a special or added token such as {@code [MASK]}, if the vocabulary has it. */
    OptionalLong specialTokenId(String token);

    @Override
    void close();
}
