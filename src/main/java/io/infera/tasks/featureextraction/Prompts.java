package io.infera.tasks.featureextraction;

import io.infera.errors.ModelLoadException;
import io.infera.processing.text.Encoding;
import io.infera.processing.text.Tokenizer;
import io.infera.tasks.EmbeddingSettings;
import io.infera.tasks.Parameters;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The named prompts of an embedding model — config_sentence_transformers.json's, then serving.yaml's
 * over them — and the default one, each with its token count measured once at load.
 */
final class Prompts {

    private final Map<String, FeatureExtractionParameters.Prompt> prompts;
    private final Optional<String> defaultName;

    private Prompts(Map<String, FeatureExtractionParameters.Prompt> prompts, Optional<String> defaultName) {
        this.prompts = prompts;
        this.defaultName = defaultName;
    }

    /** @param lowerCase whether texts (prompts with them) are lower-cased before tokenizing */
    static Prompts of(
            SentenceTransformersLayout layout, EmbeddingSettings settings, Tokenizer tokenizer, boolean lowerCase)
            throws ModelLoadException {
        Map<String, String> texts = new LinkedHashMap<>(layout.prompts());
        texts.putAll(settings.prompts());
        Map<String, FeatureExtractionParameters.Prompt> prompts = new LinkedHashMap<>();
        texts.forEach((name, text) -> prompts.put(
                name,
                new FeatureExtractionParameters.Prompt(
                        text, tokens(tokenizer, lowerCase ? text.toLowerCase(Locale.ROOT) : text))));
        Optional<String> defaultName = settings.defaultPromptName().or(layout::defaultPromptName);
        if (defaultName.isPresent() && !prompts.containsKey(defaultName.get())) {
            throw new ModelLoadException("default_prompt_name '" + defaultName.get() + "' is not one of the prompts "
                    + prompts.keySet() + " (config_sentence_transformers.json, serving.yaml embedding.prompts)");
        }
        return new Prompts(Map.copyOf(prompts), defaultName);
    }

    /**
     * The leading tokens a prompt takes in an encoded text: its encoding less a closing special token,
     * as sentence-transformers counts it ({@code prompt_length}) to leave it out of the pooling.
     */
    private static int tokens(Tokenizer tokenizer, String prompt) {
        Encoding encoding = tokenizer.encodeWhole(prompt, true);
        int length = encoding.length();
        boolean closedBySpecial = length > 0 && encoding.sequenceIds()[length - 1] < 0;
        return closedBySpecial ? length - 1 : length;
    }

    /** The prompt a request names, the default when it names none. */
    FeatureExtractionParameters.Prompt named(String name) {
        String chosen = name != null ? name : defaultName.orElse(null);
        if (chosen == null) {
            return FeatureExtractionParameters.Prompt.NONE;
        }
        FeatureExtractionParameters.Prompt prompt = prompts.get(chosen);
        if (prompt == null) {
            throw Parameters.invalid(
                    "prompt_name",
                    prompts.isEmpty()
                            ? "this model declares no prompts (serving.yaml embedding.prompts)"
                            : "unknown prompt '" + chosen + "' (this model's prompts: "
                                    + String.join(", ", new java.util.TreeSet<>(prompts.keySet())) + ")");
        }
        return prompt;
    }
}
