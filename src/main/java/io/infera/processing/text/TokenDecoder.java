package io.infera.processing.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Joins token strings back into text as the tokenizer.json {@code decoder} does (what transformers'
 * {@code convert_tokens_to_string} calls). Needed on strings rather than ids because the pipelines
 * put the original text in place of unknown tokens before joining.
 */
public sealed interface TokenDecoder {

    String decode(List<String> tokens);

    /** The decoder a tokenizer.json declares; tokens joined by spaces when it declares none or one Infera does not know. */
    static TokenDecoder of(JsonNode decoder) {
        String type = decoder.path("type").asText("");
        return switch (type) {
            case "WordPiece" ->
                new WordPiece(
                        decoder.path("prefix").asText("##"),
                        decoder.path("cleanup").asBoolean(true));
            case "ByteLevel" -> new ByteLevel();
            case "Metaspace" ->
                new Metaspace(
                        decoder.path("replacement").asText("\u2581"),
                        !"never".equals(decoder.path("prepend_scheme").asText("always")));
            default -> new Spaces();
        };
    }

    /** BERT's: continuation pieces lose their prefix, other tokens get a space before them. */
    record WordPiece(String prefix, boolean cleanup) implements TokenDecoder {
        @Override
        public String decode(List<String> tokens) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < tokens.size(); i++) {
                String token = tokens.get(i);
                if (i != 0) {
                    token = token.startsWith(prefix) ? token.substring(prefix.length()) : " " + token;
                }
                text.append(cleanup ? cleanUp(token) : token);
            }
            return text.toString();
        }

        /** The tokenizers library's WordPiece cleanup, applied to each token with its leading space. */
        static String cleanUp(String token) {
            return token.replace(" .", ".")
                    .replace(" ?", "?")
                    .replace(" !", "!")
                    .replace(" ,", ",")
                    .replace(" ' ", "'")
                    .replace(" n't", "n't")
                    .replace(" 'm", "'m")
                    .replace(" do not", " don't")
                    .replace(" 's", "'s")
                    .replace(" 've", "'ve")
                    .replace(" 're", "'re");
        }
    }

    /** GPT-2 / RoBERTa byte-level BPE: each character stands for one byte of UTF-8. */
    record ByteLevel() implements TokenDecoder {
        private static final int[] BYTE_OF_CHAR = byteOfChar();

        @Override
        public String decode(List<String> tokens) {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            for (String token : tokens) {
                byte[] mapped = mapped(token);
                // A token with any character outside the byte alphabet (text put in by the caller)
                // contributes its own UTF-8 bytes, as the tokenizers library's decoder does.
                bytes.writeBytes(mapped != null ? mapped : token.getBytes(StandardCharsets.UTF_8));
            }
            // Invalid sequences become U+FFFD, as from_utf8_lossy does.
            return bytes.toString(StandardCharsets.UTF_8);
        }

        private static byte[] mapped(String token) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            for (int i = 0; i < token.length(); ) {
                int c = token.codePointAt(i);
                i += Character.charCount(c);
                if (c >= BYTE_OF_CHAR.length || BYTE_OF_CHAR[c] < 0) {
                    return null;
                }
                out.write(BYTE_OF_CHAR[c]);
            }
            return out.toByteArray();
        }

        /** GPT-2's bytes_to_unicode, inverted: printable bytes stand for themselves, the rest map to 256+. */
        private static int[] byteOfChar() {
            int[] table = new int[512];
            java.util.Arrays.fill(table, -1);
            int next = 0;
            for (int b = 0; b < 256; b++) {
                boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
                table[printable ? b : 256 + next++] = b;
            }
            return table;
        }
    }

    /** SentencePiece: the replacement character marks a space. */
    record Metaspace(String replacement, boolean prefixSpace) implements TokenDecoder {
        @Override
        public String decode(List<String> tokens) {
            String text = String.join("", tokens).replace(replacement, " ");
            return prefixSpace && text.startsWith(" ") ? text.substring(1) : text;
        }
    }

    /** No decoder: tokens joined by spaces, as transformers does then. */
    record Spaces() implements TokenDecoder {
        @Override
        public String decode(List<String> tokens) {
            return String.join(" ", tokens);
        }
    }
}
