package io.infera.tasks.rerank;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.errors.ModelLoadException;
import io.infera.tasks.HfConfig;
import java.util.Optional;

/**
 * What config.json says about a sentence-transformers cross-encoder: its activation
 * ({@code sentence_transformers.activation_fn}, or {@code sbert_ce_default_activation_function} as
 * sentence-transformers before 4 wrote it). Sigmoid (the default for one label) and Identity are
 * served; any other would change the scores and is refused.
 */
public final class CrossEncoderConfig {

    private static final String SIGMOID = "torch.nn.modules.activation.Sigmoid";
    private static final String IDENTITY = "torch.nn.modules.linear.Identity";

    private CrossEncoderConfig() {}

    /** Whether config.json marks the model as a sentence-transformers cross-encoder. */
    public static boolean marked(HfConfig config) {
        return config.json().has("sentence_transformers") || config.json().has("sbert_ce_default_activation_function");
    }

    static boolean sigmoid(HfConfig config) throws ModelLoadException {
        Optional<String> activation = activation(config.json());
        if (activation.isEmpty() || activation.get().equals(SIGMOID)) {
            return true;
        }
        if (activation.get().equals(IDENTITY)) {
            return false;
        }
        throw new ModelLoadException("config.json activation_fn " + activation.get()
                + " is not implemented (a cross-encoder's scores are served with " + SIGMOID + " or " + IDENTITY + ")");
    }

    private static Optional<String> activation(JsonNode config) {
        JsonNode current = config.path("sentence_transformers").path("activation_fn");
        if (current.isTextual()) {
            return Optional.of(current.asText());
        }
        JsonNode legacy = config.path("sbert_ce_default_activation_function");
        return legacy.isTextual() ? Optional.of(legacy.asText()) : Optional.empty();
    }
}
