package io.infera.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.infera.config.InferaConfig;
import io.infera.registry.ModelDefaults;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A server started with no settings gives its models exactly the standard defaults that the score command and Spark start from. */
class ServerDefaultsTest {

    @Test
    void anUnconfiguredServerUsesTheStandardDefaults() {
        // the duration words the server reads ("30s") through Quarkus' converter, as in the server
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(InferaConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .build();
        ModelDefaults server = RegistryLifecycle.defaults(config.getConfigMapping(InferaConfig.class));
        ModelDefaults standard = ModelDefaults.standard();

        assertEquals(standard.device(), server.device());
        assertEquals(standard.onnx(), server.onnx());
        assertEquals(standard.torch(), server.torch());
        assertEquals(standard.batching().toString(), server.batching().toString()); // every field, arrays included
        assertEquals(standard.instances(), server.instances());
        assertEquals(standard.warmup(), server.warmup());
        assertEquals(standard.maxImagePixels(), server.maxImagePixels());
        assertEquals(standard.maxTextChars(), server.maxTextChars());
        assertEquals(standard.audio().maxSeconds(), server.audio().maxSeconds());
        assertEquals(
                standard.audio().ffmpeg().isPresent(), server.audio().ffmpeg().isPresent());
        assertEquals(standard.generation(), server.generation());
        assertEquals(standard.maxNewTokens(), server.maxNewTokens());
    }
}
