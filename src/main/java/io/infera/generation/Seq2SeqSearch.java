package io.infera.generation;

/**
 * One request's decoding as a step-by-step state, so that a loop can run the rows of several
 * requests in one model call: each step it tells which tokens its rows feed and which previous
 * row's cache each continues, then takes the step's logits for its rows.
 */
interface Seq2SeqSearch {

    /** Rows this request runs each step (1 greedy or sampled, num_beams for beam search). */
    int rows();

    /** The token each row feeds the next step. */
    int[] nextTokens();

    /** For each row of the next step, the row of the last step whose cache it continues. */
    int[] parents();

    /**
     * Takes one step's logits (a row each) and chooses.
     *
     * @param generated tokens generated before this step
     * @return true when the search is finished
     */
    boolean advance(float[][] logits, int generated);

    /**
     * The generated sequences, best first (with the end token when one ended a sequence): the
     * num_return_sequences best finished beams, or the one sequence of greedy decoding or sampling.
     */
    java.util.List<int[]> results();

    static Seq2SeqSearch of(Seq2SeqSettings settings) {
        return settings.numBeams() <= 1 ? new SingleSearch(settings) : new BeamSearch(settings);
    }
}
