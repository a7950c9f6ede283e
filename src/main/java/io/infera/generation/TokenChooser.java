package io.infera.generation;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Picks the next token from the last position's logits as transformers' {@code generate} does:
 * the logits processors first ({@link LogitsProcessors}), then greedy argmax (first of equal maxima,
 * NaN first, as torch.argmax), or, when sampling, temperature, top-k, top-p (keeping at least one token),
 * softmax and one draw.
 */
public final class TokenChooser {

    private TokenChooser() {}

    /**
     * @param logits      the vocabulary's logits; changed in place
     * @param inputIds    the prompt and the tokens generated so far (what the processors see)
     * @param inputLength the prompt's length
     */
    public static int choose(
            float[] logits, int[] inputIds, int inputLength, GenerationSettings settings, RandomGenerator random) {
        settings.process(logits, inputIds, inputLength);
        return pick(logits, settings, random);
    }

    /** The choice itself, on logits already processed: greedy argmax or temperature/top-k/top-p sampling. */
    static int pick(float[] logits, GenerationSettings settings, RandomGenerator random) {
        return settings.doSample() ? sample(logits, settings, random) : argmax(logits);
    }

    /**
     * The first index of the largest value, NaN counting as the largest, as torch.argmax decides (a
     * processor can make NaN: a forced end token's minus infinity plus the length penalty's infinity).
     */
    static int argmax(float[] logits) {
        int best = 0;
        for (int i = 0; i < logits.length; i++) {
            if (Float.isNaN(logits[i])) {
                return i;
            }
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    private static int sample(float[] logits, GenerationSettings settings, RandomGenerator random) {
        int vocabulary = logits.length;
        Integer[] order = new Integer[vocabulary];
        for (int i = 0; i < vocabulary; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(logits[b], logits[a]));
        int kept = settings.topK() > 0 ? Math.min(settings.topK(), vocabulary) : vocabulary;
        double temperature = settings.temperature();
        double max = logits[order[0]] / temperature;
        double[] weights = new double[kept];
        double total = 0;
        for (int i = 0; i < kept; i++) {
            weights[i] = Math.exp(logits[order[i]] / temperature - max);
            total += weights[i];
        }
        if (settings.topP() < 1.0) {
            // the smallest prefix whose probability reaches top_p (at least one token)
            double cumulative = 0;
            int prefix = 0;
            while (prefix < kept && (prefix == 0 || cumulative < settings.topP())) {
                cumulative += weights[prefix] / total;
                prefix++;
            }
            kept = prefix;
            total = 0;
            for (int i = 0; i < kept; i++) {
                total += weights[i];
            }
        }
        double draw = random.nextDouble() * total;
        for (int i = 0; i < kept; i++) {
            draw -= weights[i];
            if (draw < 0) {
                return order[i];
            }
        }
        return order[kept - 1];
    }
}
