package io.infera.tasks.textgeneration;

import io.infera.processing.text.Tokenizer;
import java.util.List;

/** Prompt text to token ids and generated ids back to text, with stop strings cut off. */
final class TextGenerationText {

    private final Tokenizer tokenizer;

    TextGenerationText(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    int[] encode(String prompt) {
        long[] ids = tokenizer.encode(prompt, null).ids();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    String decode(int[] ids) {
        long[] wide = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            wide[i] = ids[i];
        }
        return tokenizer.decode(wide, true);
    }

    /** Whether the generated text holds one of the stop strings (checked after every token). */
    boolean endsWithStop(int[] generated, List<String> stop) {
        String text = decode(generated);
        return stop.stream().anyMatch(text::contains);
    }

    /**
     * The pipeline's generated_text: the prompt as given followed by what the whole sequence decodes
     * to beyond the prompt's own decoding (so that a token merging across the boundary reads as
     * transformers reads it), cut before the first stop string.
     */
    String answer(String prompt, int[] promptIds, int[] generated, List<String> stop, boolean fullText) {
        int[] all = new int[promptIds.length + generated.length];
        System.arraycopy(promptIds, 0, all, 0, promptIds.length);
        System.arraycopy(generated, 0, all, promptIds.length, generated.length);
        String whole = decode(all);
        String promptText = decode(promptIds);
        String continuation = whole.length() >= promptText.length() ? whole.substring(promptText.length()) : decode(generated);
        int cut = continuation.length();
        for (String s : stop) {
            int at = continuation.indexOf(s);
            if (at >= 0 && at < cut) {
                cut = at;
            }
        }
        continuation = continuation.substring(0, cut);
        return fullText ? prompt + continuation : continuation;
    }
}
