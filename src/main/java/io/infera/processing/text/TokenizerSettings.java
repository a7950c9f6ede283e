package io.infera.processing.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * What Infera reads from a Hugging Face tokenizer folder besides the vocabulary: the added
 * (special) tokens of tokenizer.json and the limits and pad token of tokenizer_config.json.
 *
 * @param addedTokens     content → id of every added token (special tokens among them)
 * @param modelMaxLength  tokenizer_config.json's {@code model_max_length}, when it is a real limit
 * @param padToken        the pad token's text, when the tokenizer declares one
 * @param maskToken       the mask token's text (fill-mask), when declared
 * @param unkToken        the unknown token's text, when declared
 * @param subwordPrefix   the vocabulary model's continuing-subword prefix ({@code ##} for WordPiece), or null
 * @param byteLevelBpe    whether the vocabulary model is BPE (transformers never cleans up its decoded spaces)
 * @param cleanUpSpaces   tokenizer_config.json's {@code clean_up_tokenization_spaces} (default false, as transformers 5)
 * @param decoder         how tokens are joined back into text
 */
public record TokenizerSettings(Map<String, Long> addedTokens, OptionalInt modelMaxLength, String padToken, String maskToken,
                                String unkToken, String subwordPrefix, boolean byteLevelBpe, boolean cleanUpSpaces,
                                TokenDecoder decoder) {

    /** Hugging Face writes a huge sentinel (1e30) when a tokenizer has no length limit. */
    private static final double NO_LIMIT = 1e9;

    /**
     * @param tokenizerJson   the tokenizer.json file
     * @param tokenizerConfig the tokenizer_config.json file; it may be absent
     */
    public static TokenizerSettings read(Path tokenizerJson, Path tokenizerConfig, ObjectMapper json) throws IOException {
        JsonNode tokenizer = json.readTree(tokenizerJson.toFile());
        Map<String, Long> added = new HashMap<>();
        for (JsonNode token : tokenizer.path("added_tokens")) {
            added.put(token.path("content").asText(), token.path("id").asLong());
        }
        JsonNode config = Files.isRegularFile(tokenizerConfig) ? json.readTree(tokenizerConfig.toFile()) : json.createObjectNode();
        OptionalInt maxLength = OptionalInt.empty();
        JsonNode max = config.path("model_max_length");
        if (max.isNumber() && max.asDouble() > 0 && max.asDouble() < NO_LIMIT) {
            maxLength = OptionalInt.of(max.asInt());
        }
        String padToken = tokenText(config.path("pad_token"));
        if (padToken == null) {
            padToken = tokenText(tokenizer.path("padding").path("pad_token"));
        }
        String maskToken = tokenText(config.path("mask_token"));
        String unkToken = tokenText(config.path("unk_token"));
        if (unkToken == null) {
            unkToken = tokenText(tokenizer.path("model").path("unk_token"));
        }
        JsonNode prefix = tokenizer.path("model").path("continuing_subword_prefix");
        return new TokenizerSettings(Map.copyOf(added), maxLength, padToken, maskToken, unkToken,
                prefix.isTextual() && !prefix.asText().isEmpty() ? prefix.asText() : null,
                "BPE".equals(tokenizer.path("model").path("type").asText()),
                config.path("clean_up_tokenization_spaces").asBoolean(false),
                TokenDecoder.of(tokenizer.path("decoder")));
    }

    /** Special tokens are either plain strings or AddedToken objects with a "content" field. */
    private static String tokenText(JsonNode node) {
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isObject() && node.path("content").isTextual()) {
            return node.path("content").asText();
        }
        return null;
    }
}
