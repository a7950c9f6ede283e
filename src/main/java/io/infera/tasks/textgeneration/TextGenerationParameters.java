package io.infera.tasks.textgeneration;

import io.infera.errors.InvalidInputException;
import io.infera.generation.GenerationSettings;
import io.infera.tasks.Parameters;
import java.util.List;

/**
 * text-generation's parameters, with the transformers pipeline's names and the model's
 * generation_config.json as defaults.
 *
 * @param settings       how the sequence is continued
 * @param stop           strings that end the text when they appear (they are cut off, as OpenAI does)
 * @param returnFullText whether generated_text starts with the prompt (the pipeline's default)
 * @param maxNewTokensAsked whether the request set max_new_tokens (else the default shrinks to fit a long prompt)
 */
public record TextGenerationParameters(GenerationSettings settings, List<String> stop, boolean returnFullText,
                                       boolean maxNewTokensAsked) {

    static TextGenerationParameters read(Parameters p, GenerationDefaults defaults, int maxNewTokensLimit) {
        boolean asked = p.has("max_new_tokens");
        int maxNewTokens = p.integer("max_new_tokens", Math.min(defaults.maxNewTokens(), maxNewTokensLimit), 1, maxNewTokensLimit);
        boolean doSample = p.bool("do_sample", defaults.doSample());
        double temperature = p.decimal("temperature", defaults.temperature(), 0, 100);
        if (doSample && temperature == 0) {
            throw new InvalidInputException("parameters.temperature", "must be above 0 when sampling (do_sample false is greedy)");
        }
        int topK = p.integer("top_k", defaults.topK(), 0, Integer.MAX_VALUE);
        double topP = p.decimal("top_p", defaults.topP(), 0, 1);
        if (doSample && topP == 0) {
            throw new InvalidInputException("parameters.top_p", "must be above 0");
        }
        double repetitionPenalty = p.decimal("repetition_penalty", defaults.repetitionPenalty(), 0, 100);
        if (repetitionPenalty == 0) {
            throw new InvalidInputException("parameters.repetition_penalty", "must be above 0 (1 for none)");
        }
        var seed = p.optionalLong("seed");
        List<String> stop = p.strings("stop", List.of());
        for (int i = 0; i < stop.size(); i++) {
            if (stop.get(i).isEmpty()) {
                throw new InvalidInputException("parameters.stop[" + i + "]", "a stop string cannot be empty");
            }
        }
        boolean full = p.bool("return_full_text", true);
        return new TextGenerationParameters(new GenerationSettings(maxNewTokens, doSample, temperature, topK, topP,
                repetitionPenalty, seed, defaults.eosTokenIds()), stop, full, asked);
    }
}
