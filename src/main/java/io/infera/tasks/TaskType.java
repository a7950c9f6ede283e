package io.infera.tasks;

import java.util.Arrays;
import java.util.Optional;

/** The served tasks, by the names the Hugging Face pipelines use. */
public enum TaskType {
    TEXT_CLASSIFICATION("text-classification"),
    TOKEN_CLASSIFICATION("token-classification"),
    QUESTION_ANSWERING("question-answering"),
    FILL_MASK("fill-mask"),
    MULTIPLE_CHOICE("multiple-choice"),
    FEATURE_EXTRACTION("feature-extraction"),
    TABLE_QUESTION_ANSWERING("table-question-answering"),
    ZERO_SHOT_CLASSIFICATION("zero-shot-classification"),
    TEXT_GENERATION("text-generation"),
    TEXT2TEXT_GENERATION("text2text-generation"),
    IMAGE_CLASSIFICATION("image-classification"),
    OBJECT_DETECTION("object-detection"),
    IMAGE_SEGMENTATION("image-segmentation"),
    AUDIO_CLASSIFICATION("audio-classification"),
    AUTOMATIC_SPEECH_RECOGNITION("automatic-speech-recognition"),
    VISUAL_QUESTION_ANSWERING("visual-question-answering"),
    IMAGE_TO_TEXT("image-to-text"),
    /** A cross-encoder's (query, text) relevance, texts best first (sentence-transformers' CrossEncoder.rank). */
    RERANK("rerank"),
    /** SPLADE-style sparse vectors from a masked-LM: one weight per vocabulary entry, non-zero ones by id. */
    SPARSE_EMBEDDING("sparse-embedding"),
    /** Silero VAD's speech segments: where in a clip someone speaks, in seconds. */
    VOICE_ACTIVITY_DETECTION("voice-activity-detection"),
    /** Infera's own: a page's text lines found by a detector and read by a recogniser. */
    OCR("ocr");

    private final String wireName;

    TaskType(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in serving.yaml, the API and metrics, e.g. {@code text-classification}. */
    public String wireName() {
        return wireName;
    }

    public static Optional<TaskType> fromWireName(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }

    @Override
    public String toString() {
        return wireName;
    }
}
