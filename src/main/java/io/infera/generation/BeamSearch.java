package io.infera.generation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Beam search as transformers' {@code generate} does it: each step the {@code 2 x num_beams} best
 * continuations of all beams by accumulated log-probability; the best {@code num_beams} unfinished
 * ones go on; finished ones among the top {@code num_beams} compete, their score divided by
 * length^length_penalty, for the {@code num_beams} finished slots; early_stopping decides when the
 * slots are final. Scores are float32 sums of log-softmax, as torch computes them.
 */
final class BeamSearch implements Seq2SeqSearch {

    private static final float NEG = -1.0e9f;

    private record Candidate(int beam, int token, float score) {}

    private record Hypothesis(int[] tokens, float score, boolean finished) {}

    private final Seq2SeqSettings settings;
    private final int beams;
    private final int keep;
    private int[][] running;
    private final float[] runningScores;
    private int[] parents;
    private List<Hypothesis> finished = new ArrayList<>();
    private boolean improvable = true;

    BeamSearch(Seq2SeqSettings settings) {
        this.settings = settings;
        this.beams = settings.numBeams();
        this.keep = Math.max(2, 1 + settings.eosTokenIds().length) * beams;
        this.running = new int[beams][0];
        this.runningScores = new float[beams];
        Arrays.fill(runningScores, 1, beams, NEG); // the beams start identical: only the first may spread
        this.parents = new int[beams];
        for (int b = 0; b < beams; b++) {
            finished.add(new Hypothesis(new int[0], NEG, false));
        }
    }

    @Override
    public int rows() {
        return beams;
    }

    @Override
    public int[] nextTokens() {
        int[] tokens = new int[beams];
        for (int b = 0; b < beams; b++) {
            tokens[b] = running[b][running[b].length - 1];
        }
        return tokens;
    }

    @Override
    public int[] parents() {
        return parents.clone();
    }

    @Override
    public boolean advance(float[][] logits, int generated) {
        List<Candidate> candidates = topCandidates(logits, generated);
        boolean[] hits = new boolean[candidates.size()];
        boolean allHit = true;
        for (int i = 0; i < candidates.size(); i++) {
            hits[i] = settings.isEos(candidates.get(i).token()) || generated + 1 >= settings.maxNewTokens();
            allHit &= hits[i];
        }
        updateFinished(candidates, hits, generated);
        Integer[] order = new Integer[candidates.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        // the best unfinished continuations go on
        Arrays.sort(order, Comparator.comparingDouble(i -> -(candidates.get(i).score() + (hits[i] ? NEG : 0f))));
        int[][] next = new int[beams][];
        for (int b = 0; b < beams; b++) {
            Candidate c = candidates.get(order[b]);
            next[b] = append(running[c.beam()], c.token());
            runningScores[b] = c.score() + (hits[order[b]] ? NEG : 0f);
            parents[b] = c.beam();
        }
        running = next;
        improvable = improvable && improvementPossible(generated + 1);
        boolean allFinished = finished.stream().allMatch(Hypothesis::finished);
        return !improvable || (allFinished && settings.earlyStopping() == Seq2SeqSettings.EarlyStopping.TRUE) || allHit;
    }

    @Override
    public List<int[]> results() {
        return finished.subList(0, settings.numReturnSequences()).stream()
                .map(h -> h.tokens().clone())
                .toList();
    }

    /** The {@code keep} best (beam, token) continuations by accumulated log-probability, best first. */
    private List<Candidate> topCandidates(float[][] logits, int generated) {
        List<Candidate> all = new ArrayList<>();
        for (int b = 0; b < logits.length; b++) {
            float[] logProbs = logSoftmax(logits[b]);
            settings.process(logProbs, withStart(running[b]));
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
    private void updateFinished(List<Candidate> candidates, boolean[] hits, int generated) {
        boolean full = finished.stream().allMatch(Hypothesis::finished)
                && settings.earlyStopping() == Seq2SeqSettings.EarlyStopping.TRUE;
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
        finished = new ArrayList<>(merged.subList(0, beams));
    }

    /** Whether the best running beam could still beat the worst finished one (transformers' heuristic). */
    private boolean improvementPossible(int generated) {
        boolean never = settings.earlyStopping() == Seq2SeqSettings.EarlyStopping.NEVER && settings.lengthPenalty() > 0;
        int length = never ? settings.maxNewTokens() : generated;
        float best = (float) (runningScores[0] / Math.pow(length, settings.lengthPenalty()));
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

    private int[] withStart(int[] tokens) {
        int[] prompt = settings.decoderPrompt();
        int[] sequence = Arrays.copyOf(prompt, prompt.length + tokens.length);
        System.arraycopy(tokens, 0, sequence, prompt.length, tokens.length);
        return sequence;
    }

    private static int[] append(int[] tokens, int token) {
        int[] out = Arrays.copyOf(tokens, tokens.length + 1);
        out[tokens.length] = token;
        return out;
    }
}
