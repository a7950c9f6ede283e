package io.infera.processing.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
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
public record TokenizerSettings(
        Map<String, Long> addedTokens,
        OptionalInt modelMaxLength,
        String padToken,
        String maskToken,
        String unkToken,
        String subwordPrefix,
        boolean byteLevelBpe,
        boolean cleanUpSpaces,
        TokenDecoder decoder) {

    /** Hugging Face writes a huge sentinel (1e30) when a tokenizer has no length limit. */
    private static final double NO_LIMIT = 1e9;

    /**
     * @param tokenizerJson   the tokenizer.json file
     * @param tokenizerConfig the tokenizer_config.json file; it may be absent
     */
    public static TokenizerSettings read(Path tokenizerJson, Path tokenizerConfig, ObjectMapper json)
            throws IOException {
        JsonNode tokenizer = json.readTree(tokenizerJson.toFile());
        Map<String, Long> added = new HashMap<>();
        for (JsonNode token : tokenizer.path("added_tokens")) {
            added.put(token.path("content").asText(), token.path("id").asLong());
        }
        JsonNode config = Files.isRegularFile(tokenizerConfig)
                ? json.readTree(tokenizerConfig.toFile())
                : json.createObjectNode();
        checkAgreement(config, tokenizer);
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
        return new TokenizerSettings(
                Map.copyOf(added),
                maxLength,
                padToken,
                maskToken,
                unkToken,
                prefix.isTextual() && !prefix.asText().isEmpty() ? prefix.asText() : null,
                "BPE".equals(tokenizer.path("model").path("type").asText()),
                config.path("clean_up_tokenization_spaces").asBoolean(false),
                TokenDecoder.of(tokenizer.path("decoder")));
    }

    /**
     * Refuses the tokenizer_config.json settings that would make transformers tokenize otherwise
     * than tokenizer.json says: a class that rebuilds its normalizer, pre-tokenizer or post-processor
     * from these keys (BERT's lower-casing, accents and Chinese characters; byte-level BPE's prefix
     * space and offset trimming) where they disagree with tokenizer.json; truncating on the left;
     * splitting special tokens. Infera tokenizes with tokenizer.json as it is.
     */
    static void checkAgreement(JsonNode config, JsonNode tokenizer) throws IOException {
        JsonNode normalizer = component(tokenizer.path("normalizer"), "BertNormalizer");
        agree(config, "do_lower_case", normalizer, "lowercase", "normalizer");
        agree(config, "strip_accents", normalizer, "strip_accents", "normalizer");
        agree(config, "tokenize_chinese_chars", normalizer, "handle_chinese_chars", "normalizer");
        agree(
                config,
                "add_prefix_space",
                component(tokenizer.path("pre_tokenizer"), "ByteLevel"),
                "add_prefix_space",
                "pre-tokenizer");
        agree(config, "trim_offsets", tokenizer.path("post_processor"), "trim_offsets", "post-processor");
        if (config.path("truncation_side").asText("right").equals("left")) {
            throw new IOException(
                    "tokenizer_config.json truncation_side \"left\" is not implemented: texts are cut at the end");
        }
        if (config.path("split_special_tokens").asBoolean(false)) {
            throw new IOException(
                    "tokenizer_config.json split_special_tokens true is not implemented: special tokens in a text "
                            + "are read as special tokens");
        }
    }

    /** A boolean setting of tokenizer_config.json against the same setting of a tokenizer.json component, where both say. */
    private static void agree(JsonNode config, String key, JsonNode component, String field, String what)
            throws IOException {
        JsonNode wanted = config.get(key);
        JsonNode actual = component.get(field);
        if (wanted != null && actual != null && !wanted.isNull() && !actual.isNull() && !wanted.equals(actual)) {
            throw new IOException("tokenizer_config.json " + key + " " + wanted + " disagrees with tokenizer.json's "
                    + what + " (" + field + " " + actual + "): transformers would rebuild the " + what
                    + " from tokenizer_config.json");
        }
    }

    /** The component of this type, itself or inside a Sequence; a missing node when there is none. */
    private static JsonNode component(JsonNode node, String type) {
        if (type.equals(node.path("type").asText())) {
            return node;
        }
        for (String list : new String[] {"normalizers", "pretokenizers", "processors"}) {
            for (JsonNode part : node.path(list)) {
                if (type.equals(part.path("type").asText())) {
                    return part;
                }
            }
        }
        return MissingNode.getInstance();
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
