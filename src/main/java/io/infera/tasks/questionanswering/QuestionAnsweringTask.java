package io.infera.tasks.questionanswering;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.errors.InvalidInputException;
import io.infera.errors.ModelLoadException;
import io.infera.processing.text.CodePoints;
import io.infera.processing.text.Encoding;
import io.infera.runtime.Tensor;
import io.infera.tasks.Parameters;
import io.infera.tasks.Preprocessed;
import io.infera.tasks.TaskContext;
import io.infera.tasks.TaskInput;
import io.infera.tasks.TaskType;
import io.infera.tasks.TextEncoder;
import io.infera.tasks.TextEncoders;
import io.infera.tasks.TextTask;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Extractive question answering as the transformers pipeline answers it: the context is split
 * into overlapping windows (each with the whole question) that are scheduled as separate rows,
 * so windows of different requests share batches; the best spans across windows are merged back
 * into character spans of the context, with the "no answer" score when asked for.
 */
public final class QuestionAnsweringTask
        implements TextTask<QuestionAnsweringParameters, QuestionAnsweringTask.Windows> {

    private static final int CONTEXT_SEQUENCE = 1; // question first, as right-padding tokenizers put it
    private static final int PIPELINE_MAX_SEQ_LEN = 384;

    private final TextEncoder encoder;
    private final String startOutput;
    private final String endOutput;
    private final long clsId;
    private final int singleSpecials;
    private final int pairSpecials;

    /** The context and its windows, kept for postprocessing. */
    record Windows(String context, List<Encoding> encodings) {}

    /** One answer: a character span of the context. */
    public record Answer(double score, int start, int end, String answer) {}

    private QuestionAnsweringTask(TextEncoder encoder, String startOutput, String endOutput, long clsId) {
        this.encoder = encoder;
        this.startOutput = startOutput;
        this.endOutput = endOutput;
        this.clsId = clsId;
        this.singleSpecials = encoder.tokenizer().encode("", null).length();
        this.pairSpecials = encoder.tokenizer().encode("", "").length();
    }

    public static QuestionAnsweringTask create(TaskContext context) throws ModelLoadException {
        if (context.output("start_logits").isEmpty()
                || context.output("end_logits").isEmpty()) {
            throw new ModelLoadException(
                    "question-answering needs outputs start_logits and end_logits; the model has " + context.outputs());
        }
        TextEncoder encoder = TextEncoders.load(context);
        // The first token of a window is the tokenizer's [CLS] (or <s>): the "no answer" position.
        long cls = encoder.tokenizer().encode("", null).ids()[0];
        return new QuestionAnsweringTask(encoder, "start_logits", "end_logits", cls);
    }

    @Override
    public TaskType type() {
        return TaskType.QUESTION_ANSWERING;
    }

    @Override
    public QuestionAnsweringParameters parameters(Parameters p) {
        int maxSeqLen = p.integer(
                "max_seq_len",
                Math.min(encoder.tokenizer().maxLength(), PIPELINE_MAX_SEQ_LEN),
                8,
                encoder.tokenizer().maxLength());
        int stride = p.integer("doc_stride", Math.min(maxSeqLen / 2, 128), 0, maxSeqLen);
        return new QuestionAnsweringParameters(
                p.integer("top_k", 1, 1, 1000),
                p.integer("max_answer_len", 15, 1, 100_000),
                p.bool("handle_impossible_answer", false),
                maxSeqLen,
                stride,
                p.bool("align_to_words", true));
    }

    @Override
    public Preprocessed<Windows> preprocess(TaskInput input, QuestionAnsweringParameters parameters) {
        String question = field(input, "question");
        String context = field(input, "context");
        int questionTokens = encoder.tokenizer().encode(question, null).length() - singleSpecials;
        // Each window holds the question, the pair's special tokens and more context tokens than the stride.
        int contextRoom = parameters.maxSequenceLength() - questionTokens - pairSpecials;
        if (contextRoom <= parameters.documentStride()) {
            throw new InvalidInputException(
                    input.field() + ".question",
                    "the question (" + questionTokens
                            + " tokens) leaves no room for the context in windows of max_seq_len "
                            + parameters.maxSequenceLength()
                            + " tokens overlapping by doc_stride " + parameters.documentStride());
        }
        List<Encoding> windows = encoder.tokenizer()
                .encodeWindows(question, context, parameters.maxSequenceLength(), parameters.documentStride());
        return new Preprocessed<>(windows.stream().map(encoder::row).toList(), new Windows(context, windows));
    }

    private static String field(TaskInput input, String name) {
        if (!(input instanceof TaskInput.Json json) || !json.value().isObject()) {
            throw new InvalidInputException(input.field(), "expected {\"question\": string, \"context\": string}");
        }
        JsonNode value = json.value().get(name);
        if (value == null || !value.isTextual()) {
            throw new InvalidInputException(
                    input.field() + "." + name, value == null ? "required" : "expected a string");
        }
        if (value.asText().isBlank()) {
            throw new InvalidInputException(input.field() + "." + name, "must not be empty");
        }
        return value.asText();
    }

    @Override
    public Object postprocess(
            Windows windows, List<Map<String, Tensor>> outputs, QuestionAnsweringParameters parameters) {
        int candidates = parameters.alignToWords() ? parameters.topK() * 2 + 10 : parameters.topK();
        double nullScore = 1_000_000;
        List<Answer> answers = new ArrayList<>();
        for (int w = 0; w < outputs.size(); w++) {
            Encoding window = windows.encodings().get(w);
            SpanScorer.Scored scored = SpanScorer.score(
                    window,
                    outputs.get(w).get(startOutput).toFloats(),
                    outputs.get(w).get(endOutput).toFloats(),
                    CONTEXT_SEQUENCE,
                    clsId,
                    candidates,
                    parameters.maxAnswerLength());
            if (parameters.handleImpossibleAnswer()) {
                nullScore = Math.min(nullScore, scored.nullScore());
            }
            for (SpanScorer.Span span : scored.spans()) {
                int[] chars = characters(window, span.start(), span.end(), parameters.alignToWords());
                String text = CodePoints.substring(windows.context(), chars[0], chars[1]);
                // The same text found again (another window, another span) adds to the first one's score.
                int same = indexOfSameText(answers, text);
                if (same >= 0) {
                    Answer a = answers.get(same);
                    answers.set(same, new Answer(a.score() + span.score(), a.start(), a.end(), a.answer()));
                } else {
                    answers.add(new Answer(span.score(), chars[0], chars[1], text));
                }
            }
        }
        if (parameters.handleImpossibleAnswer()) {
            answers.add(new Answer(nullScore, 0, 0, ""));
        }
        List<Answer> best = answers.stream()
                .sorted(Comparator.comparingDouble(Answer::score).reversed())
                .limit(parameters.topK())
                .toList();
        return best.size() == 1 ? best.getFirst() : best;
    }

    private static int indexOfSameText(List<Answer> answers, String text) {
        for (int i = 0; i < answers.size(); i++) {
            if (answers.get(i).answer().toLowerCase(Locale.ROOT).equals(text.toLowerCase(Locale.ROOT))) {
                return i;
            }
        }
        return -1;
    }

    /** The character span of tokens s..e: whole words of the context, or the tokens' own offsets. */
    private static int[] characters(Encoding window, int s, int e, boolean alignToWords) {
        if (alignToWords && window.wordIds()[s] >= 0 && window.wordIds()[e] >= 0) {
            return new int[] {wordStart(window, window.wordIds()[s]), wordEnd(window, window.wordIds()[e])};
        }
        return new int[] {Math.max(0, window.starts()[s]), Math.max(0, window.ends()[e])};
    }

    private static int wordStart(Encoding window, int word) {
        for (int i = 0; i < window.length(); i++) {
            if (window.sequenceIds()[i] == CONTEXT_SEQUENCE && window.wordIds()[i] == word) {
                return window.starts()[i];
            }
        }
        throw new IllegalStateException("word " + word + " has no token in the window");
    }

    private static int wordEnd(Encoding window, int word) {
        for (int i = window.length() - 1; i >= 0; i--) {
            if (window.sequenceIds()[i] == CONTEXT_SEQUENCE && window.wordIds()[i] == word) {
                return window.ends()[i];
            }
        }
        throw new IllegalStateException("word " + word + " has no token in the window");
    }

    @Override
    public TextEncoder encoder() {
        return encoder;
    }
}
