package io.infera.tasks.textgeneration;

import io.infera.errors.InvalidInputException;
import io.infera.tasks.Parameters;
import java.util.List;

/**
 * text-generation's parameters, with the transformers pipeline's names: the decoding (request over
 * the model's generation settings over the pipeline's defaults) and what the pipeline does with
 * the text.
 *
 * @param decoding       how the sequences are continued
 * @param stop           strings that end the text when they appear (they are cut off, as OpenAI does)
 * @param returnFullText whether generated_text starts with the prompt (the pipeline's default)
 */
public record TextGenerationParameters(Decoding decoding, List<String> stop, boolean returnFullText) {

    static TextGenerationParameters read(Parameters p, Decoding.Model model) {
        Decoding decoding = Decoding.read(p, model);
        List<String> stop = p.strings("stop", List.of());
        for (int i = 0; i < stop.size(); i++) {
            if (stop.get(i).isEmpty()) {
                throw new InvalidInputException("parameters.stop[" + i + "]", "a stop string cannot be empty");
            }
        }
        return new TextGenerationParameters(decoding, stop, p.bool("return_full_text", true));
    }

    /** How many sequences each prompt is answered with. */
    public int sequencesPerPrompt() {
        return decoding.numReturnSequences();
    }
}
