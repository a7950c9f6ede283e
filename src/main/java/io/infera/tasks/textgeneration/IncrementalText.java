package io.infera.tasks.textgeneration;

import java.util.List;
import java.util.function.Consumer;

/**
 * The text of a growing sequence, handed out piece by piece for streaming: after each token the
 * continuation is decoded again (as transformers decodes it: the whole sequence less the prompt's
 * own decoding), and only what can no longer change is passed on. Trailing U+FFFD (a character
 * whose UTF-8 bytes are split across tokens) and a tail that could be the start of a stop string
 * are held back; a stop string ends the sequence and is never sent.
 */
final class IncrementalText {

    private final TextGenerationText text;
    private final int[] promptIds;
    private final List<String> stop;
    private final Consumer<String> deltas;
    private final String promptText;
    private int sent;
    private boolean stopped;

    /** @param deltas told each new piece of text, or null when nobody streams (then only stop strings need decoding) */
    IncrementalText(TextGenerationText text, int[] promptIds, List<String> stop, Consumer<String> deltas) {
        this.text = text;
        this.promptIds = promptIds;
        this.stop = stop;
        this.deltas = deltas;
        this.promptText = text.decode(promptIds); // once, not per token: this runs on the generation thread
    }

    /** @return true when a stop string appeared and the sequence should end */
    boolean onToken(int[] generated) {
        if (deltas == null && stop.isEmpty()) {
            return false; // nothing to stream, nothing to look for: decode once at the end
        }
        String continuation = text.continuation(promptIds, promptText, generated);
        int cut = firstStop(continuation);
        if (cut >= 0) {
            stopped = true;
            send(continuation.substring(0, cut));
            return true;
        }
        int stable = continuation.length() - heldBack(continuation);
        send(continuation.substring(0, stable));
        return false;
    }

    /** The final text; sends what was held back (unless a stop string ended it). */
    String finish(int[] generated) {
        String continuation = text.continuation(promptIds, promptText, generated);
        int cut = firstStop(continuation);
        String answer = cut >= 0 ? continuation.substring(0, cut) : continuation;
        if (!stopped) {
            send(answer);
        }
        return answer;
    }

    private void send(String upTo) {
        if (deltas != null && upTo.length() > sent) {
            deltas.accept(upTo.substring(sent));
            sent = upTo.length();
        }
    }

    private int firstStop(String continuation) {
        int cut = -1;
        for (String s : stop) {
            int at = continuation.indexOf(s);
            if (at >= 0 && (cut < 0 || at < cut)) {
                cut = at;
            }
        }
        return cut;
    }

    /** How many trailing characters may still change or turn out to be a stop string. */
    private int heldBack(String continuation) {
        int held = 0;
        while (held < continuation.length() && continuation.charAt(continuation.length() - 1 - held) == '\uFFFD') {
            held++; // a character split across tokens decodes as replacement characters until its last byte comes
        }
        for (String s : stop) {
            for (int k = Math.min(s.length() - 1, continuation.length()); k > held; k--) {
                if (continuation.endsWith(s.substring(0, k))) {
                    held = k;
                    break;
                }
            }
        }
        return held;
    }
}
