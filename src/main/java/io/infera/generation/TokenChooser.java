package io.infera.generation;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Picks the next token from the last position's logits as transformers' {@code generate} does:
 * the repetition penalty first, then greedy argmax (first of equal maxima, as torch.argmax), or,
 * when sampling, temperature, top-k, top-p (keeping at least one token), softmax and one draw.
 */
public final class TokenChooser {

    private TokenChooser() {
    }

    /**
     * @param logits  the vocabulary's logits; changed in place
     * @param context the prompt and the tokens generated so far (what the repetition penalty sees)
     */
    public static int choose(float[] logits, int[] context, GenerationSettings settings, RandomGenerator random) {
        if (settings.repetitionPenalty() != 1.0) {
            penaliseRepeats(logits, context, (float) settings.repetitionPenalty());
        }
        return pick(logits, settings, random);
    }

    /** The choice itself, on logits already processed: greedy argmax or temperature/top-k/top-p sampling. */
    static int pick(float[] logits, GenerationSettings settings, RandomGenerator random) {
        return settings.doSample() ? sample(logits, settings, random) : argmax(logits);
    }

    static void penaliseRepeats(float[] logits, int[] context, float penalty) {
        boolean[] seen = new boolean[logits.length];
        for (int token : context) {
            if (token >= 0 && token < logits.length && !seen[token]) {
                seen[token] = true;
                logits[token] = logits[token] < 0 ? logits[token] * penalty : logits[token] / penalty;
            }
        }
    }

    static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
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
