package io.infera.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Timeout;

/**
 * Model-name validation, fuzzed: every name it accepts resolves to a direct child of the models
 * folder with exactly that name (no separator, no "..", no absolute path, no Unicode that a file
 * system would fold into one of those). Corpus: ModelNameFuzzTestInputs/.
 */
class ModelNameFuzzTest {

    private static final Path MODELS = Path.of("/srv/models");

    @FuzzTest(maxDuration = "2m")
    @Timeout(10)
    void acceptedNamesStayInTheModelsFolder(byte[] bytes) {
        String name = new String(bytes, StandardCharsets.UTF_8);
        if (!ModelName.isValid(name)) {
            return;
        }
        Path resolved = MODELS.resolve(name).normalize();
        assertEquals(MODELS, resolved.getParent(), name);
        assertEquals(name, resolved.getFileName().toString());
        assertEquals(name, name.strip());
        name.chars().forEach(c -> assertEquals(true, c < 0x80, name));
    }
}
