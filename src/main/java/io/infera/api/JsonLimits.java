package io.infera.api;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infera.config.InferaConfig;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Bounds what the JSON parser accepts before any of it reaches a task: nesting depth and the
 * digits of one number (Jackson's defaults, 1000 levels and 1000 digits, let a small body cost a
 * deep recursion or a quadratic big-number parse), and refuses an object that names a member twice.
 * A body over either limit is a 400 on {@code body}.
 */
@Singleton
public class JsonLimits implements ObjectMapperCustomizer {

    private final InferaConfig.Limits limits;

    JsonLimits(InferaConfig config) {
        this.limits = config.limits();
    }

    @Override
    public void customize(ObjectMapper json) {
        apply(json, limits.maxJsonDepth(), limits.maxJsonNumberLength());
    }

    /** Configures a mapper as the server's (the fuzz tests parse with the same rules). */
    public static ObjectMapper apply(ObjectMapper json, int maxDepth, int maxNumberLength) {
        // {"top_k": 1, "top_k": 100}: parsers disagree on which one counts, so neither does
        json.enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        // {"inputs": "x"}} is not one JSON value: what follows the first one is not ignored
        json.enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        json.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxDepth)
                        .maxNumberLength(maxNumberLength)
                        .build());
        return json;
    }
}
