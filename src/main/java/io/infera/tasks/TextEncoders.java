package io.infera.tasks;

import io.infera.errors.ModelLoadException;
import io.infera.processing.text.FastTokenizer;
import io.infera.processing.text.Tokenizer;
import io.infera.processing.text.TokenizerSettings;
import java.io.IOException;
import java.util.OptionalInt;

/** Loads the tokenizer of a model folder for the text tasks, with its length limit decided once. */
public final class TextEncoders {

    /** BERT's limit, for models that state none. */
    private static final int FALLBACK_MAX_TOKENS = 512;

    private TextEncoders() {}

    public static TextEncoder load(TaskContext context) throws ModelLoadException {
        return load(context, 2);
    }

    /** @param rank the rank of the model's text inputs (3 for [batch, choices, sequence]) */
    public static TextEncoder load(TaskContext context, int rank) throws ModelLoadException {
        return load(context, rank, -1);
    }

    /**
     * A [batch, sequence] encoder that cuts texts at {@code maxTokens} (a sentence-transformers
     * folder's max_seq_length), or at the model's own limit when empty.
     */
    public static TextEncoder load(TaskContext context, OptionalInt maxTokens) throws ModelLoadException {
        return load(context, 2, maxTokens.orElse(-1));
    }

    private static TextEncoder load(TaskContext context, int rank, int maxTokens) throws ModelLoadException {
        Tokenizer tokenizer = tokenizer(context, maxTokens);
        try {
            return TextEncoder.forModel(tokenizer, context.inputs(), rank, context.observer());
        } catch (IllegalArgumentException e) {
            tokenizer.close();
            throw new ModelLoadException(e.getMessage());
        }
    }

    /** The model folder's tokenizer alone, for tasks that build their model inputs themselves (TAPAS). */
    public static Tokenizer tokenizer(TaskContext context) throws ModelLoadException {
        return tokenizer(context, -1);
    }

    /** @param maxTokens the longest encoding, or -1 for the model's own limit ({@link #maxTokens}) */
    public static Tokenizer tokenizer(TaskContext context, int maxTokens) throws ModelLoadException {
        if (!context.files().has("tokenizer.json")) {
            throw new ModelLoadException("a " + context.config().modelType().orElse("text")
                    + " model needs a tokenizer.json " + "(a Hugging Face fast tokenizer) in its folder");
        }
        try {
            TokenizerSettings settings = TokenizerSettings.read(
                    context.files().resolve("tokenizer.json"),
                    context.files().resolve("tokenizer_config.json"),
                    context.json());
            return FastTokenizer.load(
                    context.files().resolve("tokenizer.json"),
                    settings,
                    maxTokens > 0 ? maxTokens : maxTokens(context, settings));
        } catch (IOException | RuntimeException e) {
            throw new ModelLoadException("tokenizer cannot be loaded: " + e.getMessage(), e);
        }
    }

    /**
     * serving.yaml's max_tokens, else tokenizer_config.json's model_max_length, else the model's
     * position embeddings (RoBERTa-style models reserve two of them), else 512.
     */
    static int maxTokens(TaskContext context, TokenizerSettings settings) {
        if (context.settings().maxTokens().isPresent()) {
            return context.settings().maxTokens().getAsInt();
        }
        if (settings.modelMaxLength().isPresent()) {
            return settings.modelMaxLength().getAsInt();
        }
        OptionalInt positions = context.config().maxPositionEmbeddings();
        if (positions.isPresent()) {
            boolean offsetPositions = context.config().modelType().orElse("").contains("roberta");
            return positions.getAsInt() - (offsetPositions ? 2 : 0);
        }
        return FALLBACK_MAX_TOKENS;
    }
}
