package io.infera.processing.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A model's chat template (Jinja2, from chat_template.jinja or tokenizer_config.json's
 * {@code chat_template}) rendered as transformers' {@code apply_chat_template} renders it: blocks
 * trimmed and left-stripped, {@code messages}, {@code add_generation_prompt}, the special tokens
 * and {@code raise_exception} in scope.
 */
public final class ChatTemplate {

    /** One chat message. */
    public record Message(String role, String content) {}

    /** The template refused the conversation (its raise_exception), or could not be rendered. */
    public static final class ChatTemplateException extends RuntimeException {
        ChatTemplateException(String message) {
            super(message);
        }
    }

    private final String template;
    private final Map<String, Object> specialTokens;
    private final Jinjava jinjava;

    private ChatTemplate(String template, Map<String, Object> specialTokens) {
        this.template = template;
        this.specialTokens = Map.copyOf(specialTokens);
        this.jinjava = new Jinjava(JinjavaConfig.newBuilder()
                .withTrimBlocks(true)
                .withLstripBlocks(true)
                .build());
        jinjava.getGlobalContext()
                .registerFunction(new ELFunctionDefinition(
                        "", "raise_exception", ChatTemplate.class, "raiseException", String.class));
    }

    /** Called by templates that refuse a conversation (roles that do not alternate ...). */
    public static String raiseException(String message) {
        throw new ChatTemplateException(message);
    }

    /**
     * The model's chat template, if it has one.
     *
     * @param jinja  a chat_template.jinja file (transformers 4.43+ writes the template there); it may be absent
     * @param config the tokenizer_config.json file (chat_template, special tokens); it may be absent
     */
    public static Optional<ChatTemplate> load(Path jinja, Path config, ObjectMapper json) throws IOException {
        JsonNode tokenizerConfig =
                Files.isRegularFile(config) ? json.readTree(config.toFile()) : json.createObjectNode();
        String template = Files.isRegularFile(jinja)
                ? Files.readString(jinja)
                : templateOf(tokenizerConfig.path("chat_template"));
        if (template == null) {
            return Optional.empty();
        }
        Map<String, Object> tokens = new HashMap<>();
        for (String name : List.of("bos_token", "eos_token", "unk_token", "pad_token")) {
            JsonNode token = tokenizerConfig.path(name);
            String text = token.isTextual()
                    ? token.asText()
                    : token.path("content").isTextual() ? token.path("content").asText() : null;
            if (text != null) {
                tokens.put(name, text);
            }
        }
        return Optional.of(new ChatTemplate(template, tokens));
    }

    /** A single template, or the one named "default" of a list of named templates. */
    private static String templateOf(JsonNode node) {
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isArray()) {
            for (JsonNode named : node) {
                if ("default".equals(named.path("name").asText())) {
                    return named.path("template").asText();
                }
            }
        }
        return null;
    }

    /** The prompt text for these messages, ending with the assistant's turn when {@code addGenerationPrompt}. */
    public String render(List<Message> messages, boolean addGenerationPrompt) {
        Map<String, Object> context = new HashMap<>(specialTokens);
        context.put(
                "messages",
                messages.stream()
                        .map(m -> Map.of("role", m.role(), "content", m.content()))
                        .toList());
        context.put("add_generation_prompt", addGenerationPrompt);
        RenderResult result;
        try {
            result = jinjava.renderForResult(template, context);
        } catch (ChatTemplateException e) {
            throw e;
        } catch (RuntimeException e) {
            Throwable cause = e;
            while (cause != null && !(cause instanceof ChatTemplateException)) {
                cause = cause.getCause();
            }
            throw cause != null
                    ? (ChatTemplateException) cause
                    : new ChatTemplateException("chat template failed: " + e.getMessage());
        }
        for (TemplateError error : result.getErrors()) {
            if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                String message = error.getMessage();
                throw new ChatTemplateException(
                        message != null && message.contains("ChatTemplateException")
                                ? message.substring(message.indexOf("ChatTemplateException")
                                                + "ChatTemplateException".length())
                                        .replaceFirst("^:\\s*", "")
                                : "chat template failed: " + message);
            }
        }
        return result.getOutput();
    }
}
