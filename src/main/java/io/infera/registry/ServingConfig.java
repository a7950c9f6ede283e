package io.infera.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A model's optional serving.yaml. Every field is optional; absent ones take the server's
 * defaults or what config.json says. Unknown fields are refused so that typos surface.
 *
 * <pre>
 * task: text-classification        # else inferred from config.json architectures
 * backend: onnx                     # onnx (default)
 * device: cuda:0                    # cpu (default), cuda, cuda:N
 * version: 2                        # pin a numbered version folder; default the highest
 * labels: [negative, positive]      # override config.json id2label
 * max_tokens: 256                   # truncate tokenized text to this many tokens
 * parameters: {top_k: 3}            # default request parameters
 * batching: {max_batch_size: 16}
 * onnx: {intra_op_threads: 1, inter_op_threads: 1, spinning: false, optimization_level: all}
 * </pre>
 */
public record ServingConfig(String task, String backend, String device, Integer version, List<String> labels,
                            Integer maxTokens, JsonNode parameters, Batching batching, Onnx onnx) {

    public static final ServingConfig EMPTY = new ServingConfig(null, null, null, null, null, null, null, null, null);

    /** @param maxBatchSize the most rows one backend call takes */
    public record Batching(Integer maxBatchSize) {
    }

    public record Onnx(Integer intraOpThreads, Integer interOpThreads, Boolean spinning, String optimizationLevel) {
    }
}
