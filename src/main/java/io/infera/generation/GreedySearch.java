package io.infera.generation;

import java.util.Arrays;

/** Greedy decoding as transformers' generate: the most likely token until an end token or the length limit. */
final class GreedySearch implements Seq2SeqSearch {

    private final Seq2SeqSettings settings;
    private int[] tokens = new int[0];

    GreedySearch(Seq2SeqSettings settings) {
        this.settings = settings;
    }

    @Override
    public int rows() {
        return 1;
    }

    @Override
    public int[] nextTokens() {
        return new int[] {tokens[tokens.length - 1]};
    }

    @Override
    public int[] parents() {
        return new int[] {0};
    }

    @Override
    public boolean advance(float[][] logits, int generated) {
        float[] scores = logits[0];
        settings.force(scores, generated);
        int token = TokenChooser.argmax(scores);
        tokens = Arrays.copyOf(tokens, tokens.length + 1);
        tokens[tokens.length - 1] = token;
        return settings.isEos(token) || tokens.length >= settings.maxNewTokens();
    }

    @Override
    public int[] result() {
        return tokens.clone();
    }
}
