package io.infera.registry;

import io.infera.tasks.HfConfig;
import io.infera.tasks.ModelFiles;
import io.infera.tasks.TaskType;
import io.infera.tasks.rerank.CrossEncoderConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;

/**
 * The task of a model folder: serving.yaml's {@code task}, else what config.json's first
 * architecture names (the transformers naming conventions), else none: a model without a task is
 * served on the raw-tensor route only.
 */
public final class TaskResolver {

    private TaskResolver() {}

    public static Optional<TaskType> resolve(ServingConfig serving, HfConfig config, ModelFiles files) {
        if (serving.task() != null) {
            return Optional.of(TaskType.fromWireName(serving.task())
                    .orElseThrow(() -> new IllegalArgumentException(
                            "serving.yaml task '" + serving.task() + "' is not one of " + List.of(TaskType.values()))));
        }
        List<String> architectures = config.architectures();
        return architectures.isEmpty() ? Optional.empty() : fromArchitecture(architectures.getFirst(), config, files);
    }

    static Optional<TaskType> fromArchitecture(String architecture, HfConfig config, ModelFiles files) {
        String a = architecture;
        if (a.startsWith("Tapas") && a.endsWith("ForQuestionAnswering")) {
            return Optional.of(TaskType.TABLE_QUESTION_ANSWERING);
        }
        if (a.startsWith("Vilt") && a.endsWith("ForQuestionAnswering")) {
            return Optional.of(TaskType.VISUAL_QUESTION_ANSWERING);
        }
        if (a.endsWith("ForSequenceClassification")) {
            // Audio models (wav2vec2, HuBERT ...) reuse the name; their processor samples audio.
            if (isAudio(files)) {
                return Optional.of(TaskType.AUDIO_CLASSIFICATION);
            }
            // a sentence-transformers cross-encoder with one relevance logit ranks texts
            boolean oneLogit = config.json().path("id2label").size() == 1;
            return Optional.of(
                    oneLogit && CrossEncoderConfig.marked(config) ? TaskType.RERANK : TaskType.TEXT_CLASSIFICATION);
        }
        if (a.endsWith("ForConditionalGeneration")) {
            // speech encoder-decoders (Whisper) read audio: their processor samples it
            if (isAudio(files)) {
                return Optional.of(TaskType.AUTOMATIC_SPEECH_RECOGNITION);
            }
            return config.json().path("is_encoder_decoder").asBoolean(false)
                    ? Optional.of(TaskType.TEXT2TEXT_GENERATION)
                    : Optional.empty();
        }
        return Optional.ofNullable(bySuffix(a));
    }

    private static TaskType bySuffix(String a) {
        if (a.endsWith("ForTokenClassification")) return TaskType.TOKEN_CLASSIFICATION;
        if (a.endsWith("ForQuestionAnswering")) return TaskType.QUESTION_ANSWERING;
        if (a.endsWith("ForMaskedLM")) return TaskType.FILL_MASK;
        if (a.endsWith("ForMultipleChoice")) return TaskType.MULTIPLE_CHOICE;
        if (a.endsWith("ForCausalLM") || a.endsWith("LMHeadModel")) return TaskType.TEXT_GENERATION;
        if (a.endsWith("ForImageClassification")) return TaskType.IMAGE_CLASSIFICATION;
        if (a.endsWith("ForObjectDetection")) return TaskType.OBJECT_DETECTION;
        if (a.endsWith("ForSemanticSegmentation")) return TaskType.IMAGE_SEGMENTATION;
        if (a.endsWith("ForAudioClassification")) return TaskType.AUDIO_CLASSIFICATION;
        if (a.endsWith("ForCTC")) return TaskType.AUTOMATIC_SPEECH_RECOGNITION;
        if (a.endsWith("Model")) return TaskType.FEATURE_EXTRACTION;
        return null;
    }

    /** Audio feature extractors declare a sampling rate; tokenizers and image processors do not. */
    private static boolean isAudio(ModelFiles files) {
        if (!files.has("preprocessor_config.json")) {
            return false;
        }
        try {
            return Files.readString(files.resolve("preprocessor_config.json")).contains("\"sampling_rate\"");
        } catch (IOException e) {
            return false;
        }
    }
}
