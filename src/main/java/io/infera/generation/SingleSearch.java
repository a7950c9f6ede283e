package io.infera.generation;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * One sequence, greedy or sampled, as transformers' generate: the processors (repetition penalty,
 * banned n-grams, forced tokens ...), then the most likely token or a draw, until an end token or
 * the length limit.
 */
final class SingleSearch implements Seq2SeqSearch {

    private final Seq2SeqSettings settings;
    private final RandomGenerator random;
    private final int prompt;
    private int[] sequence; // the decoder's prompt and the tokens generated

    SingleSearch(Seq2SeqSettings settings) {
        this.settings = settings;
        this.sequence = settings.decoderPrompt();
        this.prompt = sequence.length;
        this.random = settings.generation().seed().isPresent()
                ? new SplittableRandom(settings.generation().seed().getAsLong())
                : new SplittableRandom();
    }

    @Override
    public int rows() {
        return 1;
    }

    @Override
    public int[] nextTokens() {
        return new int[] {sequence[sequence.length - 1]};
    }

    @Override
    public int[] parents() {
        return new int[] {0};
    }

    @Override
    public boolean advance(float[][] logits, int generated) {
        float[] scores = logits[0];
        settings.process(scores, sequence);
        int token = TokenChooser.pick(scores, settings.generation(), random);
        sequence = Arrays.copyOf(sequence, sequence.length + 1);
        sequence[sequence.length - 1] = token;
        return settings.isEos(token) || sequence.length - prompt >= settings.maxNewTokens();
    }

    @Override
    public List<int[]> results() {
        return List.of(Arrays.copyOfRange(sequence, prompt, sequence.length));
    }
}
