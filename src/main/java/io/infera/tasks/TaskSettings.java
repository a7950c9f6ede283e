package io.infera.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.processing.audio.AudioDecoder;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a model's serving.yaml and the server configuration tell its task.
 *
 * @param labels            class names overriding config.json's id2label
 * @param maxTokens         the longest tokenized input; longer ones are truncated
 * @param defaultParameters request parameters applied when a request does not set them
 * @param maxImagePixels    the largest image accepted, checked before decoding
 * @param detection         serving.yaml's detection settings for object detectors, when it has them
 * @param audio             how audio bytes are decoded, and the longest audio accepted
 * @param embedding         serving.yaml's prompts and Matryoshka flag for embedding models
 * @param maxItems          the most texts one item may carry (a rerank's documents), as a request's items
 */
public record TaskSettings(
        Optional<List<String>> labels,
        OptionalInt maxTokens,
        JsonNode defaultParameters,
        long maxImagePixels,
        Optional<DetectionSettings> detection,
        AudioDecoder audio,
        EmbeddingSettings embedding,
        int maxItems) {}
