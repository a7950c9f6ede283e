package io.infera.registry;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.infera.errors.ModelLoadException;
import io.infera.routing.TrafficPolicy;
import io.infera.runtime.BackendKind;
import io.infera.runtime.Device;
import io.infera.runtime.OnnxSessionSettings;
import io.infera.tasks.DetectionFamily;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A model's optional serving.yaml. Every field is optional; absent ones take the server's
 * defaults or what config.json says. Unknown fields are refused so that typos surface.
 *
 * <pre>
 * description: what the model is    # one line, shown in /v1/models and the playground
 * task: text-classification        # else inferred from config.json architectures
 * backend: onnx                     # onnx (default) or torchscript (model.pt; needs trust: true)
 * trust: true                       # allow loading a TorchScript archive (it embeds pickled data)
 * device: cuda:0                    # cpu (default), cuda, cuda:N
 * version: 2                        # pin a numbered version folder; default the highest
 * version_policy: {latest: {num_versions: 2}}   # or {specific: {versions: [1, 3]}} or {all: {}}: versions served at once
 * traffic: {split: {"1": 95, "2": 5}, shadow: {version: 2, sample: 1.0}}   # see TrafficPolicy
 * model_card: {license: mit, datasets: [imdb]}   # added to README.md's front matter (see ModelCard)
 * labels: [negative, positive]      # override config.json id2label
 * max_tokens: 256                   # truncate tokenized text to this many tokens
 * parameters: {top_k: 3}            # default request parameters
 * instances: 2                      # backend sessions running batches in parallel
 * warmup: true                      # run every bucket shape once before reporting ready
 * batching:                         # see BatchingPolicy; absent fields take the server defaults
 *   max_batch_size: 16
 *   max_queue_delay_us: 500
 *   max_queue_size: 1024
 *   preferred_batch_sizes: [8, 16]
 *   max_batch_tokens: 1024
 *   buckets: [16, 32, 64, 128, 256, 512]
 *   reorder_window: 64
 * onnx: {intra_op_threads: 1, inter_op_threads: 1, spinning: false, optimization_level: all}
 * unbatched: true                   # the model has no batch axis (torchvision exports): one item per run
 * detection: {family: yolo}         # object detectors: set-prediction, yolo or boxes; else told by the output names
 * embedding:                        # embedding models (feature-extraction)
 *   prompts: {query: "query: ", passage: "passage: "}   # put before a text by a request's prompt_name
 *   default_prompt_name: query      # the prompt of requests that name none
 *   matryoshka: true                # vectors may be cut to a request's dimensions (then re-normalised)
 * vad:                              # speech recognisers: cut clips into utterances first (see Vad)
 *   model: silero-vad               # a served voice-activity-detection model
 *   min_silence_ms: 300             # and its parameters (threshold, neg_threshold, min_speech_ms,
 *   speech_pad_ms: 100              #   max_speech_s, min_silence_ms, speech_pad_ms)
 * torchscript:                      # TorchScript keeps no tensor names: declare them
 *   inputs:                         # in the order of forward()'s parameters
 *     - {name: input_ids, datatype: INT64, shape: [-1, -1]}
 *   outputs:                        # in the order of the returned tuple, or by key of a returned dict
 *     - {name: logits, datatype: FP32, shape: [-1, 3]}
 * </pre>
 */
public record ServingConfig(
        String description,
        String task,
        BackendKind backend,
        Boolean trust,
        Device device,
        Integer version,
        List<String> labels,
        Integer maxTokens,
        JsonNode parameters,
        Integer instances,
        Boolean warmup,
        Batching batching,
        Onnx onnx,
        Torchscript torchscript,
        Detection detection,
        Embedding embedding,
        Vad vad,
        Boolean unbatched,
        VersionPolicy versionPolicy,
        TrafficPolicy traffic,
        JsonNode modelCard) {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .registerModule(vocabularies());

    /** The fixed vocabularies, read by their own parsers so that a wrong word is refused with the words allowed. */
    private static SimpleModule vocabularies() {
        SimpleModule module = new SimpleModule("serving-yaml-vocabularies");
        module.addDeserializer(BackendKind.class, word(BackendKind::parse));
        module.addDeserializer(Device.class, word(Device::parse));
        module.addDeserializer(DetectionFamily.class, word(DetectionFamily::parse));
        module.addDeserializer(
                OnnxSessionSettings.OptimizationLevel.class, word(OnnxSessionSettings.OptimizationLevel::parse));
        return module;
    }

    private static <T> JsonDeserializer<T> word(Function<String, T> parse) {
        return new JsonDeserializer<>() {
            @Override
            public T deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                if (!parser.currentToken().isScalarValue()) {
                    throw InvalidFormatException.from(parser, "expected a word", parser.getText(), Object.class);
                }
                try {
                    return parse.apply(parser.getText());
                } catch (IllegalArgumentException e) {
                    throw InvalidFormatException.from(parser, e.getMessage(), parser.getText(), Object.class);
                }
            }
        };
    }

    /** Reads a serving.yaml; an unknown field is an error that lists the known ones (a typo must not pass silently). */
    public static ServingConfig read(Path file) throws ModelLoadException {
        try {
            ServingConfig config = YAML.readValue(file.toFile(), ServingConfig.class);
            return config == null ? EMPTY : config;
        } catch (UnrecognizedPropertyException e) {
            throw new ModelLoadException("serving.yaml: unknown field '" + e.getPropertyName() + "' (known: "
                    + e.getKnownPropertyIds() + ")");
        } catch (InvalidFormatException e) {
            String field = e.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
            throw new ModelLoadException("serving.yaml " + field + ": " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new ModelLoadException("serving.yaml cannot be read: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ModelLoadException("serving.yaml cannot be read: " + e.getMessage(), e);
        }
    }

    public static final ServingConfig EMPTY = new ServingConfig(
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null);

    /**
     * How an object detector's outputs are decoded: set-prediction (DETR, YOLOS), yolo (candidates
     * + NMS), boxes (finished detections) or anchors (SSD / BlazeFace heads, with input_size and heads).
     */
    public record Detection(DetectionFamily family, Integer inputSize, List<Head> heads) {}

    /** Prompts and the Matryoshka flag of an embedding model. */
    /**
     * A speech recogniser's voice activity detection: each clip is cut into the utterances the
     * served voice-activity-detection model {@code model} finds (with these of its parameters),
     * and each utterance is recognised on its own, its times offset to the clip's.
     */
    public record Vad(
            String model,
            Double threshold,
            Double negThreshold,
            Double minSpeechMs,
            Double maxSpeechS,
            Double minSilenceMs,
            Double speechPadMs) {

        /** The detector's request parameters, those set here. */
        public Map<String, Double> parameters() {
            Map<String, Double> out = new java.util.LinkedHashMap<>();
            java.util.function.BiConsumer<String, Double> put = (k, v) -> {
                if (v != null) {
                    out.put(k, v);
                }
            };
            put.accept("threshold", threshold);
            put.accept("neg_threshold", negThreshold);
            put.accept("min_speech_ms", minSpeechMs);
            put.accept("max_speech_s", maxSpeechS);
            put.accept("min_silence_ms", minSilenceMs);
            put.accept("speech_pad_ms", speechPadMs);
            return out;
        }
    }

    public record Embedding(Map<String, String> prompts, String defaultPromptName, Boolean matryoshka) {}

    /** An anchor grid of the anchors family. */
    public record Head(Integer cells, Integer anchorsPerCell, String scores, String boxes) {}

    /** Per-model batching; every field overrides the server default of the same name. */
    public record Batching(
            Integer maxBatchSize,
            Long maxQueueDelayUs,
            Integer maxQueueSize,
            List<Integer> preferredBatchSizes,
            Long maxBatchTokens,
            List<Integer> buckets,
            Integer reorderWindow) {}

    public record Onnx(
            Integer intraOpThreads,
            Integer interOpThreads,
            Boolean spinning,
            OnnxSessionSettings.OptimizationLevel optimizationLevel) {}

    /** The tensors of a TorchScript module, which its archive does not name. */
    public record Torchscript(List<TensorDeclaration> inputs, List<TensorDeclaration> outputs) {}

    /** One declared tensor; {@code -1} in the shape marks a free dimension. */
    public record TensorDeclaration(String name, String datatype, List<Long> shape) {}
}
