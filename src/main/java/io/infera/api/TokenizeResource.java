package io.infera.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infera.config.InferaConfig;
import io.infera.errors.InvalidInputException;
import io.infera.errors.PayloadTooLargeException;
import io.infera.processing.text.Encoding;
import io.infera.processing.text.Tokenizer;
import io.infera.registry.ModelRepository;
import io.infera.tasks.Pipeline;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * A model's own tokenizer over HTTP: {@code tokenize} (ids, token strings, code-point offsets and
 * the count, untruncated, with the model's limit beside it: what a client budgets a context with)
 * and {@code detokenize}. Any model that reads text answers; nothing runs on the model.
 */
@Path("/v1/models")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class TokenizeResource {

    private final ObjectMapper json;
    private final ModelRepository repository;
    private final InferaConfig config;

    TokenizeResource(ObjectMapper json, ModelRepository repository, InferaConfig config) {
        this.json = json;
        this.repository = repository;
        this.config = config;
    }

    /**
     * One text's tokens.
     *
     * @param offsets   each token's [start, end) in the text, in code points; null for special tokens
     * @param count     the number of tokens, before any truncation
     * @param maxTokens the model's limit: longer inputs are truncated (or refused where asked)
     */
    public record Tokens(
            List<Long> ids,
            List<String> tokens,
            List<int[]> offsets,
            int count,
            @JsonProperty("max_tokens") int maxTokens) {}

    @POST
    @Path("{model}/tokenize")
    @Operation(
            summary = "Tokenize {\"inputs\": text or [texts], \"add_special_tokens\": true} with the model's tokenizer")
    public Object tokenize(@PathParam("model") String model, byte[] body) {
        JsonNode request =
                JsonBody.readObject(json, body, "{\"inputs\": text or [texts], \"add_special_tokens\": true}");
        rejectUnknown(request, Set.of("inputs", "add_special_tokens"));
        JsonNode special = request.path("add_special_tokens");
        if (!special.isMissingNode() && !special.isBoolean()) {
            throw new InvalidInputException("add_special_tokens", "expected true or false, got " + special);
        }
        Tokenizer tokenizer = tokenizer(model);
        JsonNode inputs = request.path("inputs");
        if (inputs.isTextual()) {
            return tokens(tokenizer, text(inputs, "inputs"), special.asBoolean(true));
        }
        List<Tokens> answers = new ArrayList<>();
        for (int i = 0, n = items(inputs, "inputs"); i < n; i++) {
            answers.add(tokens(tokenizer, text(inputs.get(i), "inputs[" + i + "]"), special.asBoolean(true)));
        }
        return answers;
    }

    @POST
    @Path("{model}/detokenize")
    @Operation(summary = "Text of {\"ids\": [ids] or [[ids]], \"skip_special_tokens\": false}")
    public Object detokenize(@PathParam("model") String model, byte[] body) {
        JsonNode request =
                JsonBody.readObject(json, body, "{\"ids\": [ids] or [[ids]], \"skip_special_tokens\": false}");
        rejectUnknown(request, Set.of("ids", "skip_special_tokens"));
        JsonNode skip = request.path("skip_special_tokens");
        if (!skip.isMissingNode() && !skip.isBoolean()) {
            throw new InvalidInputException("skip_special_tokens", "expected true or false, got " + skip);
        }
        Tokenizer tokenizer = tokenizer(model);
        JsonNode ids = request.path("ids");
        if (ids.isArray() && !ids.isEmpty() && ids.get(0).isArray()) {
            List<Text> texts = new ArrayList<>();
            for (int i = 0, n = items(ids, "ids"); i < n; i++) {
                texts.add(new Text(tokenizer.decode(ids(tokenizer, ids.get(i), "ids[" + i + "]"), skip.asBoolean())));
            }
            return texts;
        }
        return new Text(tokenizer.decode(ids(tokenizer, ids, "ids"), skip.asBoolean()));
    }

    /** A decoded text. */
    public record Text(String text) {}

    private Tokenizer tokenizer(String model) {
        Pipeline pipeline = repository.ready(model, null).pipeline().orElse(null);
        if (pipeline == null || pipeline.tokenizer().isEmpty()) {
            throw new InvalidInputException(
                    "model", "model '" + model + "' reads no text: it has no tokenizer to tokenize with");
        }
        return pipeline.tokenizer().get();
    }

    private Tokens tokens(Tokenizer tokenizer, String text, boolean addSpecialTokens) {
        Encoding encoding = tokenizer.encodeWhole(text, addSpecialTokens);
        List<Long> ids = new ArrayList<>(encoding.length());
        List<int[]> offsets = new ArrayList<>(encoding.length());
        for (int i = 0; i < encoding.length(); i++) {
            ids.add(encoding.ids()[i]);
            offsets.add(encoding.starts()[i] < 0 ? null : new int[] {encoding.starts()[i], encoding.ends()[i]});
        }
        return new Tokens(ids, List.of(encoding.tokens()), offsets, encoding.length(), tokenizer.maxLength());
    }

    private String text(JsonNode value, String field) {
        if (!value.isTextual()) {
            throw new InvalidInputException(field, "expected a string, got " + value.getNodeType());
        }
        Pipeline.checkTextLength(value.asText(), field, config.limits().maxTextChars());
        return value.asText();
    }

    /** The number of items of a list input, held to the item limit. */
    private int items(JsonNode list, String field) {
        if (!list.isArray() || list.isEmpty()) {
            throw new InvalidInputException(field, "expected a string or a non-empty list");
        }
        if (list.size() > config.limits().maxItems()) {
            throw new PayloadTooLargeException(
                    field,
                    list.size() + " items, more than the limit of "
                            + config.limits().maxItems());
        }
        return list.size();
    }

    private static long[] ids(Tokenizer tokenizer, JsonNode ids, String field) {
        if (!ids.isArray()) {
            throw new InvalidInputException(field, "expected a list of token ids, got " + ids.getNodeType());
        }
        long[] values = new long[ids.size()];
        for (int i = 0; i < ids.size(); i++) {
            JsonNode id = ids.get(i);
            if (!id.isIntegralNumber() || id.asLong() < 0 || id.asLong() >= tokenizer.vocabularySize()) {
                throw new InvalidInputException(
                        field + "[" + i + "]",
                        "a token id must be an integer from 0 to " + (tokenizer.vocabularySize() - 1) + ", got " + id);
            }
            values[i] = id.asLong();
        }
        return values;
    }

    private static void rejectUnknown(JsonNode request, Set<String> known) {
        request.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                throw new InvalidInputException(name, "unknown field (known: " + String.join(", ", known) + ")");
            }
        });
    }
}
