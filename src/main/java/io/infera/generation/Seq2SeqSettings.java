package io.infera.generation;

/**
 * How an encoder-decoder model continues, with the transformers {@code generate} meanings.
 *
 * @param generation         token limit, end tokens, processors, and greedy or sampling choice
 * @param numBeams           1 for greedy decoding or sampling, more for beam search
 * @param lengthPenalty      beam scores are divided by length^lengthPenalty
 * @param earlyStopping      when beam search stops
 * @param decoderPrompt      the tokens the decoder starts from (the start token; Whisper's start of
 *                           transcript, language, task and timestamp tokens); -1 at a position the
 *                           model chooses among {@code promptChoices} from the tokens before it
 * @param numReturnSequences how many of the best finished beams are answered (1 without beams)
 * @param promptChoices      the tokens a -1 in the prompt may become (Whisper's language tokens); empty for none
 */
public record Seq2SeqSettings(
        GenerationSettings generation,
        int numBeams,
        double lengthPenalty,
        EarlyStopping earlyStopping,
        int[] decoderPrompt,
        int numReturnSequences,
        int[] promptChoices) {

    /** A decoder that starts from one token. */
    public Seq2SeqSettings(
            GenerationSettings generation,
            int numBeams,
            double lengthPenalty,
            EarlyStopping earlyStopping,
            int decoderStart,
            int numReturnSequences) {
        this(
                generation,
                numBeams,
                lengthPenalty,
                earlyStopping,
                new int[] {decoderStart},
                numReturnSequences,
                new int[0]);
    }

    /** transformers' early_stopping: true, false (its heuristic) or "never". */
    public enum EarlyStopping {
        TRUE,
        FALSE,
        NEVER
    }

    public Seq2SeqSettings {
        decoderPrompt = decoderPrompt.clone();
        promptChoices = promptChoices.clone();
        if (decoderPrompt.length == 0) {
            throw new IllegalArgumentException("the decoder prompt needs at least its start token");
        }
        if (numReturnSequences < 1 || numReturnSequences > Math.max(1, numBeams)) {
            throw new IllegalArgumentException(
                    "num_return_sequences " + numReturnSequences + " must be between 1 and num_beams " + numBeams);
        }
    }

    /** The first token of the decoder's prompt. */
    public int decoderStart() {
        return decoderPrompt[0];
    }

    /** Where the model chooses a prompt token (-1 in the prompt), or -1 when it chooses none. */
    int choicePosition() {
        for (int i = 0; i < decoderPrompt.length; i++) {
            if (decoderPrompt[i] < 0) {
                return i;
            }
        }
        return -1;
    }

    /** The same settings with the prompt's choice made. */
    Seq2SeqSettings withPrompt(int[] prompt) {
        return new Seq2SeqSettings(
                generation, numBeams, lengthPenalty, earlyStopping, prompt, numReturnSequences, promptChoices);
    }

    int maxNewTokens() {
        return generation.maxNewTokens();
    }

    int[] eosTokenIds() {
        return generation.eosTokenIds();
    }

    boolean isEos(int token) {
        return generation.isEos(token);
    }

    /**
     * The logits processors of generate before the choice, on the decoder's sequence so far.
     *
     * @param scores   one position's logits (greedy, sampling) or log-probabilities (beam search)
     * @param sequence the decoder's prompt and the tokens generated so far
     */
    void process(float[] scores, int[] sequence) {
        generation.process(scores, sequence, decoderPrompt.length);
    }
}
