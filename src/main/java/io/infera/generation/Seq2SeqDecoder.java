package io.infera.generation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Greedy decoding and beam search for an encoder-decoder model, following transformers'
 * {@code generate}: greedy stops at an end token or the length limit; beam search keeps the
 * {@code 2 x num_beams} best continuations of all beams each step, the best {@code num_beams}
 * unfinished ones go on, finished ones among the top {@code num_beams} compete (score divided by
 * length^length_penalty) for the {@code num_beams} finished slots, and the search ends by
 * early_stopping's rule. Scores are float32 sums of log-softmax, as torch computes them.
 */
public final class Seq2SeqDecoder {

    private static final float NEG = -1.0e9f;

    private Seq2SeqDecoder() {
    }

    /** The generated tokens (without the decoder start token; with the end token when one ended it). */
    public static int[] generate(Seq2SeqLm model, int[] source, Seq2SeqSettings settings) {
        Seq2SeqLm.Source encoded = model.encode(source);
        return settings.numBeams() <= 1 ? greedy(model, encoded, settings) : beamSearch(model, encoded, settings);
    }

    private static int[] greedy(Seq2SeqLm model, Seq2SeqLm.Source source, Seq2SeqSettings settings) {
        List<Integer> tokens = new ArrayList<>();
        Seq2SeqLm.Step step = model.first(source, settings.decoderStart(), 1);
        while (true) {
            float[] logits = step.logits()[0];
            settings.force(logits, tokens.size());
            int token = TokenChooser.argmax(logits);
            tokens.add(token);
            if (settings.isEos(token) || tokens.size() >= settings.maxNewTokens()) {
                return tokens.stream().mapToInt(Integer::intValue).toArray();
            }
            step = model.next(source, new int[] {token}, step.selfCaches(), step.crossCache());
        }
    }

    /** A candidate continuation: which beam it extends, its token and accumulated log-probability. */
    private record Candidate(int beam, int token, float score) {
    }

    private record Hypothesis(int[] tokens, float score, boolean finished) {
    }

    private static int[] beamSearch(Seq2SeqLm model, Seq2SeqLm.Source source, Seq2SeqSettings settings) {
        int beams = settings.numBeams();
        int keep = Math.max(2, 1 + settings.eosTokenIds().length) * beams;
        int[][] running = new int[beams][0];
        float[] runningScores = new float[beams];
        Arrays.fill(runningScores, 1, beams, NEG); // the beams start identical: only the first may spread
        List<Hypothesis> finished = new ArrayList<>();
        for (int b = 0; b < beams; b++) {
            finished.add(new Hypothesis(new int[0], NEG, false));
        }
        boolean improvable = true;
        Seq2SeqLm.Step step = model.first(source, settings.decoderStart(), beams);
        for (int generated = 0; ; generated++) {
            List<Candidate> candidates = topCandidates(step.logits(), runningScores, settings, generated, keep);
            boolean[] hits = new boolean[candidates.size()];
            boolean allHit = true;
            for (int i = 0; i < candidates.size(); i++) {
                hits[i] = settings.isEos(candidates.get(i).token()) || generated + 1 >= settings.maxNewTokens();
                allHit &= hits[i];
            }
            finished = updateFinished(finished, running, candidates, hits, settings, generated, improvable);
            // the best unfinished continuations go on
            Integer[] order = new Integer[candidates.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, Comparator.comparingDouble(i -> -(candidates.get(i).score() + (hits[i] ? NEG : 0f))));
            int[][] nextRunning = new int[beams][];
            int[] parents = new int[beams];
            int[] tokens = new int[beams];
            for (int b = 0; b < beams; b++) {
                Candidate c = candidates.get(order[b]);
                nextRunning[b] = append(running[c.beam()], c.token());
                runningScores[b] = c.score() + (hits[order[b]] ? NEG : 0f);
                parents[b] = c.beam();
                tokens[b] = c.token();
            }
            running = nextRunning;
            improvable = improvable && improvementPossible(runningScores[0], finished, settings, generated + 1);
            boolean allFinished = finished.stream().allMatch(Hypothesis::finished);
            if (!improvable || (allFinished && settings.earlyStopping() == Seq2SeqSettings.EarlyStopping.TRUE) || allHit) {
                return finished.getFirst().tokens();
            }
            List<KvCache> caches = new ArrayList<>(beams);
            for (int parent : parents) {
                caches.add(step.selfCaches().get(parent));
            }
            step = model.next(source, tokens, caches, step.crossCache());
        }
    }

    /** The {@code keep} best (beam, token) continuations by accumulated log-probability, best first. */
    private static List<Candidate> topCandidates(float[][] logits, float[] runningScores, Seq2SeqSettings settings,
                                                 int generated, int keep) {
        List<Candidate> all = new ArrayList<>();
        for (int b = 0; b < logits.length; b++) {
            float[] logProbs = logSoftmax(logits[b]);
            settings.force(logProbs, generated);
            for (int token = 0; token < logProbs.length; token++) {
                all.add(new Candidate(b, token, logProbs[token] + runningScores[b]));
            }
        }
        all.sort(Comparator.comparingDouble(c -> -c.score()));
        return all.subList(0, Math.min(keep, all.size()));
    }

    /**
     * Candidates among the top num_beams that just ended enter the finished slots with their
     * length-normalised score (none once early stopping says the slots are final).
     */
    private static List<Hypothesis> updateFinished(List<Hypothesis> finished, int[][] running, List<Candidate> candidates,
                                                   boolean[] hits, Seq2SeqSettings settings, int generated, boolean improvable) {
        int beams = settings.numBeams();
        boolean full = finished.stream().allMatch(Hypothesis::finished) && settings.earlyStopping() == Seq2SeqSettings.EarlyStopping.TRUE;
        float length = (float) Math.pow(generated + 1, settings.lengthPenalty());
        List<Hypothesis> merged = new ArrayList<>(finished);
        for (int i = 0; i < candidates.size(); i++) {
            Candidate c = candidates.get(i);
            boolean justFinished = hits[i] && i < beams;
            float score = c.score() / length + (full ? NEG : 0f) + (improvable ? 0f : NEG) + (justFinished ? 0f : NEG);
            merged.add(new Hypothesis(append(running[c.beam()], c.token()), score, justFinished));
        }
        // stable: among equal scores the earlier (an existing slot) stays, as torch.topk keeps lower indices first here
        merged.sort(Comparator.comparingDouble(h -> -h.score()));
        return new ArrayList<>(merged.subList(0, beams));
    }

    /** Whether the best running beam could still beat the worst finished one (transformers' heuristic). */
    private static boolean improvementPossible(float bestRunning, List<Hypothesis> finished, Seq2SeqSettings settings, int generated) {
        boolean never = settings.earlyStopping() == Seq2SeqSettings.EarlyStopping.NEVER && settings.lengthPenalty() > 0;
        int length = never ? settings.maxNewTokens() : generated;
        float best = (float) (bestRunning / Math.pow(length, settings.lengthPenalty()));
        float worst = Float.POSITIVE_INFINITY;
        for (Hypothesis h : finished) {
            worst = Math.min(worst, h.score());
        }
        for (Hypothesis h : finished) {
            if (best > (h.finished() ? worst : NEG)) {
                return true;
            }
        }
        return false;
    }

    private static float[] logSoftmax(float[] logits) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (float v : logits) {
            sum += Math.exp(v - max);
        }
        float log = (float) Math.log(sum);
        float[] out = new float[logits.length];
        for (int i = 0; i < logits.length; i++) {
            out[i] = logits[i] - max - log;
        }
        return out;
    }

    private static int[] append(int[] tokens, int token) {
        int[] out = Arrays.copyOf(tokens, tokens.length + 1);
        out[tokens.length] = token;
        return out;
    }
}
