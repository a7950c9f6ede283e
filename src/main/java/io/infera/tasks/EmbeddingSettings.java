package io.infera.tasks;

import java.util.Map;
import java.util.Optional;

/**
 * serving.yaml's {@code embedding:} block for embedding models.
 *
 * @param prompts           named texts a request may put before its input ({@code prompt_name}), as
 *                          sentence-transformers' prompts: e5's {@code query: }, bge's instruction;
 *                          they add to (and override) config_sentence_transformers.json's
 * @param defaultPromptName the prompt used when a request names none
 * @param matryoshka        whether the model was trained so that its vectors may be cut short
 *                          (a request's {@code dimensions})
 */
public record EmbeddingSettings(Map<String, String> prompts, Optional<String> defaultPromptName, boolean matryoshka) {

    public static final EmbeddingSettings NONE = new EmbeddingSettings(Map.of(), Optional.empty(), false);

    public EmbeddingSettings {
        prompts = Map.copyOf(prompts);
    }
}
