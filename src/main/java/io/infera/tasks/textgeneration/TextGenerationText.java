package io.infera.tasks.textgeneration;

import io.infera.processing.text.Tokenizer;

/** Prompt text to token ids, and generated ids back to text. */
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

    /**
     * What the generated tokens add to the prompt's text, as the transformers pipeline reads it:
     * the whole sequence decoded, less the prompt's own decoding {@code promptText} (so that a
     * token merging across the boundary reads the same).
     */
    String continuation(int[] promptIds, String promptText, int[] generated) {
        int[] all = new int[promptIds.length + generated.length];
        System.arraycopy(promptIds, 0, all, 0, promptIds.length);
        System.arraycopy(generated, 0, all, promptIds.length, generated.length);
        String whole = decode(all);
        return whole.startsWith(promptText) ? whole.substring(promptText.length()) : decode(generated);
    }
}
