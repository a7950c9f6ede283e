package io.infera.tasks.textgeneration;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.tasks.HfConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * A model's generation defaults as the transformers text-generation pipeline settles them: values
 * the model's generation_config.json sets (other than transformers' own defaults) over the
 * pipeline's defaults (256 new tokens, sampling at temperature 0.7) over transformers' (top_k 50,
 * top_p 1, repetition penalty 1); end-of-sequence ids from generation_config.json or config.json.
 */
record GenerationDefaults(int maxNewTokens, boolean doSample, double temperature, int topK, double topP,
                          double repetitionPenalty, int[] eosTokenIds) {

    static GenerationDefaults read(JsonNode generationConfig, HfConfig config) {
        JsonNode g = generationConfig == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : generationConfig;
        int maxNew = g.path("max_new_tokens").isInt() ? g.path("max_new_tokens").asInt() : 256;
        double temperature = g.path("temperature").asDouble(1.0) != 1.0 ? g.path("temperature").asDouble() : 0.7;
        JsonNode eos = g.has("eos_token_id") ? g.path("eos_token_id") : config.json().path("eos_token_id");
        // do_sample false is transformers' own default, so the pipeline's sampling wins over it
        return new GenerationDefaults(maxNew, true, temperature, g.path("top_k").asInt(50), g.path("top_p").asDouble(1.0),
                g.path("repetition_penalty").asDouble(1.0), tokenIds(eos));
    }

    /** A token id or a list of them (generation_config.json's eos_token_id may be either). */
    static int[] tokenIds(JsonNode node) {
        List<Integer> ids = new ArrayList<>();
        if (node.isInt()) {
            ids.add(node.asInt());
        } else if (node.isArray()) {
            node.forEach(n -> ids.add(n.asInt()));
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }
}
