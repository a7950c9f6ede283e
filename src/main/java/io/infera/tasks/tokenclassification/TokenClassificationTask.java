package io.infera.tasks.tokenclassification;

import io.infera.batching.Row;
import io.infera.errors.InvalidInputException;
import io.infera.errors.ModelLoadException;
import io.infera.processing.Labels;
import io.infera.processing.Softmax;
import io.infera.processing.text.CodePoints;
import io.infera.processing.text.Encoding;
import io.infera.processing.text.Tokenizer;
import io.infera.runtime.Tensor;
import io.infera.runtime.TensorSpec;
import io.infera.tasks.Parameters;
import io.infera.tasks.Preprocessed;
import io.infera.tasks.TaskContext;
import io.infera.tasks.TaskInput;
import io.infera.tasks.TaskType;
import io.infera.tasks.TextEncoder;
import io.infera.tasks.TextEncoders;
import io.infera.tasks.TextTask;
import io.infera.tasks.tokenclassification.Entities.PreEntity;
import io.infera.tasks.tokenclassification.Entities.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Named-entity recognition and other per-token tagging, as the transformers token-classification
 * pipeline answers it: entities with their tag, score, word and character offsets into the
 * original text. With {@code stride}, a long text becomes overlapping windows that are scheduled
 * as separate rows (sharing batches with other requests) and merged back.
 */
public final class TokenClassificationTask
        implements TextTask<TokenClassificationParameters, TokenClassificationTask.Windows> {

    private final TextEncoder encoder;
    private final String output;
    private final Labels labels;
    private final EntityAggregator aggregator;
    private final OptionalLong unkId;
    private final int specialTokens;

    /** The text and its windows' encodings, kept for postprocessing. */
    record Windows(String text, List<Encoding> encodings) {}

    private TokenClassificationTask(TextEncoder encoder, String output, Labels labels) {
        this.encoder = encoder;
        this.output = output;
        this.labels = labels;
        Tokenizer tokenizer = encoder.tokenizer();
        this.aggregator = new EntityAggregator(labels, tokenizer::tokensToString);
        String unk = tokenizer.settings().unkToken();
        this.unkId = unk == null ? OptionalLong.empty() : tokenizer.vocabularyId(unk);
        this.specialTokens = tokenizer.encode("", null).length();
    }

    public static TokenClassificationTask create(TaskContext context) throws ModelLoadException {
        TensorSpec logits = context.output("logits")
                .orElse(context.outputs().size() == 1 ? context.outputs().getFirst() : null);
        if (logits == null || logits.rank() != 3) {
            throw new ModelLoadException(
                    "token-classification needs an output logits [batch, sequence, labels]; the model has "
                            + context.outputs());
        }
        Labels labels = context.settings()
                .labels()
                .map(Labels::new)
                .or(() -> context.config().labels())
                .orElseThrow(() -> new ModelLoadException(
                        "token-classification needs labels: config.json id2label or serving.yaml labels"));
        long width = logits.shape()[2];
        if (width >= 1 && width != labels.size()) {
            throw new ModelLoadException("output " + logits.name() + " has " + width + " columns but " + labels.size()
                    + " labels are named");
        }
        TextEncoder encoder = TextEncoders.load(context);
        return new TokenClassificationTask(encoder, logits.name(), labels);
    }

    @Override
    public TaskType type() {
        return TaskType.TOKEN_CLASSIFICATION;
    }

    @Override
    public TokenClassificationParameters parameters(Parameters p) {
        boolean explicit = p.has("aggregation_strategy");
        AggregationStrategy strategy =
                p.choice("aggregation_strategy", AggregationStrategy.class, AggregationStrategy.NONE);
        List<String> ignore = p.strings("ignore_labels", List.of("O"));
        OptionalInt stride = OptionalInt.empty();
        if (p.has("stride")) {
            int limit = encoder.tokenizer().maxLength() - specialTokens - 1;
            stride = OptionalInt.of(p.integer("stride", 0, 0, Math.max(0, limit)));
            if (explicit && strategy == AggregationStrategy.NONE) {
                throw new InvalidInputException(
                        "parameters.stride",
                        "windows are merged by entity, which needs aggregation_strategy simple, first, average or max");
            }
        }
        return new TokenClassificationParameters(strategy, ignore, stride);
    }

    @Override
    public Preprocessed<Windows> preprocess(TaskInput input, TokenClassificationParameters parameters) {
        String text = input.text();
        List<Encoding> encodings = parameters.stride().isPresent()
                ? encoder.tokenizer()
                        .encodeWindows(
                                text,
                                null,
                                encoder.tokenizer().maxLength(),
                                parameters.stride().getAsInt())
                : List.of(encoder.tokenizer().encode(text, null));
        List<Row> rows = encodings.stream().map(encoder::row).toList();
        return new Preprocessed<>(rows, new Windows(text, encodings));
    }

    @Override
    public Object postprocess(
            Windows windows, List<Map<String, Tensor>> outputs, TokenClassificationParameters parameters) {
        List<Span> entities = new ArrayList<>();
        for (int w = 0; w < outputs.size(); w++) {
            Encoding encoding = windows.encodings().get(w);
            List<PreEntity> pre =
                    preEntities(windows.text(), encoding, outputs.get(w).get(output));
            for (Span entity : aggregator.aggregate(pre, parameters.aggregation())) {
                String tag = entity instanceof Entities.Tagged t ? t.entity() : ((Entities.Group) entity).entityGroup();
                if (!parameters.ignoreLabels().contains(tag)) {
                    entities.add(entity);
                }
            }
        }
        return outputs.size() > 1 ? EntityAggregator.mergeOverlapping(entities) : entities;
    }

    /** The non-special tokens of one window with their softmax scores, words and offsets. */
    private List<PreEntity> preEntities(String text, Encoding encoding, Tensor logits) {
        float[] values = logits.toFloats();
        int width = labels.size();
        List<PreEntity> pre = new ArrayList<>();
        for (int i = 0; i < encoding.length(); i++) {
            if (encoding.sequenceIds()[i] < 0) {
                continue; // special token
            }
            int start = encoding.starts()[i];
            int end = encoding.ends()[i];
            String word = encoding.tokens()[i];
            String reference = CodePoints.substring(text, start, end);
            boolean subword;
            String prefix = encoder.tokenizer().settings().subwordPrefix();
            if (prefix != null) {
                subword = word.codePointCount(0, word.length()) != reference.codePointCount(0, reference.length());
            } else {
                // The pipeline's fallback for vocabularies without a subword prefix: not after a space.
                subword = start > 0
                        && !CodePoints.substring(
                                        text, start - 1, Math.min(start + 1, text.codePointCount(0, text.length())))
                                .contains(" ");
            }
            if (unkId.isPresent() && encoding.ids()[i] == unkId.getAsLong()) {
                word = reference;
                subword = false;
            }
            pre.add(new PreEntity(word, Softmax.of(values, i * width, width), start, end, i, subword));
        }
        return pre;
    }

    @Override
    public TextEncoder encoder() {
        return encoder;
    }
}
