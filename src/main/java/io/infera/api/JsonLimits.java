package io.infera.api;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infera.config.InferaConfig;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Bounds what the JSON parser accepts before any of it reaches a task: nesting depth and the
 * digits of one number (Jackson's defaults, 1000 levels and 1000 digits, let a small body cost a
 * deep recursion or a quadratic big-number parse). A body over either limit is a 400 on {@code body}.
 */
@Singleton
public class JsonLimits implements ObjectMapperCustomizer {

    private final InferaConfig.Limits limits;

    JsonLimits(InferaConfig config) {
        this.limits = config.limits();
    }

    @Override
    public void customize(ObjectMapper json) {
        json.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(limits.maxJsonDepth())
                .maxNumberLength(limits.maxJsonNumberLength())
                .build());
    }
}
