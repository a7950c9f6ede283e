package io.infera.api.v2;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infera.api.RequestPath;
import io.infera.batching.Row;
import io.infera.config.InferaConfig;
import io.infera.errors.InvalidInputException;
import io.infera.registry.ServedModel;
import io.infera.runtime.Tensor;
import io.infera.runtime.TensorSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One raw-tensor inference: decode the request (JSON data or the binary data extension), run it
 * through the model's batcher as a pre-batched row, encode the chosen outputs as JSON or binary.
 */
@ApplicationScoped
public class InferHandler {

    private final ObjectMapper json;
    private final long maxTensorElements;

    InferHandler(ObjectMapper json, InferaConfig config) {
        this.json = json;
        this.maxTensorElements = config.limits().maxTensorElements();
    }

    /**
     * Decodes the request and queues it; the answer completes when the model has run it. No thread
     * waits meanwhile, so the queue, not a thread pool, bounds how many requests are pending. Runs
     * on a request worker.
     *
     * @param admitted the model and deadline; a client that goes away cancels its queued work (499)
     */
    CompletableFuture<Response> infer(RequestPath.Admitted admitted, byte[] body, String headerLength) {
        ServedModel model = admitted.model();
        InferRequest request = InferRequest.parse(body, headerLength, json);
        JsonNode root = request.json();
        Map<String, Tensor> inputs = V2TensorCodec.decodeInputs(
                root.get("inputs"), model.backend().inputs(), request.binary(), maxTensorElements);
        Map<String, Boolean> wanted =
                requestedOutputs(root.path("outputs"), model.backend().outputs(), request.allOutputsBinary());
        // through the model's batcher: the same queue bound, deadline, instances and drain as the task route
        CompletableFuture<List<Map<String, Tensor>>> work = admitted.submit(List.of(Row.prebatched(inputs)));
        return work.thenApply(outputs -> encode(model, request, wanted, outputs.getFirst()));
    }

    private Response encode(
            ServedModel model, InferRequest request, Map<String, Boolean> wanted, Map<String, Tensor> outputs) {
        JsonNode root = request.json();
        ObjectNode response = json.createObjectNode();
        response.put("model_name", model.name());
        response.put("model_version", model.version());
        if (root.hasNonNull("id")) {
            response.set("id", root.get("id"));
        }
        ArrayNode list = response.putArray("outputs");
        ByteArrayOutputStream binary = new ByteArrayOutputStream();
        for (TensorSpec spec : model.backend().outputs()) {
            Boolean asBinary = wanted.isEmpty() ? (Boolean) request.allOutputsBinary() : wanted.get(spec.name());
            if (asBinary == null) {
                continue;
            }
            Tensor tensor = outputs.get(spec.name());
            if (asBinary) {
                byte[] bytes = BinaryTensorData.write(tensor);
                ObjectNode header = V2TensorCodec.header(spec.name(), tensor);
                header.putObject("parameters").put("binary_data_size", bytes.length);
                list.add(header);
                binary.writeBytes(bytes);
            } else {
                list.add(V2TensorCodec.encode(spec.name(), tensor));
            }
        }
        return respond(response, binary.toByteArray());
    }

    private Response respond(ObjectNode response, byte[] binary) {
        try {
            byte[] header = json.writeValueAsBytes(response);
            if (binary.length == 0) {
                return Response.ok(header, MediaType.APPLICATION_JSON_TYPE).build();
            }
            byte[] body = new byte[header.length + binary.length];
            System.arraycopy(header, 0, body, 0, header.length);
            System.arraycopy(binary, 0, body, header.length, binary.length);
            return Response.ok(body, MediaType.APPLICATION_OCTET_STREAM_TYPE)
                    .header(InferRequest.HEADER_LENGTH, header.length)
                    .build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("inference response cannot be written", e);
        }
    }

    /** Output name to whether it is wanted as binary data; empty means every output. */
    private static Map<String, Boolean> requestedOutputs(
            JsonNode outputs, List<TensorSpec> declared, boolean allBinary) {
        Map<String, Boolean> wanted = new LinkedHashMap<>();
        if (outputs.isMissingNode() || outputs.isNull()) {
            return wanted;
        }
        if (!outputs.isArray()) {
            throw new InvalidInputException("outputs", "expected a list of {name}");
        }
        for (int i = 0; i < outputs.size(); i++) {
            JsonNode output = outputs.get(i);
            String name = output.path("name").asText(null);
            if (name == null || declared.stream().noneMatch(s -> s.name().equals(name))) {
                throw new InvalidInputException(
                        "outputs[" + i + "].name",
                        "model has no output '" + name + "' (outputs: "
                                + declared.stream().map(TensorSpec::name).toList() + ")");
            }
            wanted.put(name, output.path("parameters").path("binary_data").asBoolean(allBinary));
        }
        return wanted;
    }
}
