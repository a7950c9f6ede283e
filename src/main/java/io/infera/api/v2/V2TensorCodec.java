package io.infera.api.v2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infera.errors.InvalidInputException;
import io.infera.errors.PayloadTooLargeException;
import io.infera.runtime.DataType;
import io.infera.runtime.Tensor;
import io.infera.runtime.TensorSpec;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Open Inference Protocol JSON tensors to Infera tensors and back. Input data may be flat or
 * nested row-major; every input is checked against the model's declaration (name, datatype,
 * rank, fixed dimensions) and its element count against its shape.
 */
final class V2TensorCodec {

    private V2TensorCodec() {}

    /**
     * @param binary the body's binary section, read in input order by inputs that declare
     *               {@code parameters.binary_data_size}
     * @param maxElements the most elements one tensor may declare (413 beyond, before its data is read)
     */
    static Map<String, Tensor> decodeInputs(
            JsonNode inputs, List<TensorSpec> declared, ByteBuffer binary, long maxElements) {
        if (inputs == null || !inputs.isArray()) {
            throw new InvalidInputException("inputs", "expected a list of tensors {name, shape, datatype, data}");
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            String field = "inputs[" + i + "]";
            JsonNode input = inputs.get(i);
            String name = input.path("name").asText(null);
            if (name == null) {
                throw new InvalidInputException(field + ".name", "is required");
            }
            TensorSpec spec = declared.stream()
                    .filter(s -> s.name().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new InvalidInputException(
                            field + ".name",
                            "model has no input '" + name + "' (inputs: "
                                    + declared.stream().map(TensorSpec::name).toList() + ")"));
            if (tensors.containsKey(name)) {
                throw new InvalidInputException(field + ".name", "input '" + name + "' is given twice");
            }
            tensors.put(name, decode(input, spec, field, binary, maxElements));
        }
        for (TensorSpec spec : declared) {
            if (!tensors.containsKey(spec.name())) {
                throw new InvalidInputException("inputs", "model input '" + spec.name() + "' is missing");
            }
        }
        if (binary.hasRemaining()) {
            throw new InvalidInputException(
                    "body", binary.remaining() + " bytes of binary data are not claimed by any input");
        }
        return tensors;
    }

    private static Tensor decode(JsonNode input, TensorSpec spec, String field, ByteBuffer binary, long maxElements) {
        String datatype = input.path("datatype").asText("");
        DataType type = DataType.fromName(datatype)
                .orElseThrow(() -> new InvalidInputException(
                        field + ".datatype",
                        "unknown datatype '" + datatype + "' (known: " + Arrays.toString(DataType.values()) + ")"));
        if (type != spec.type()) {
            throw new InvalidInputException(
                    field + ".datatype", "input '" + spec.name() + "' is " + spec.type() + ", got " + type);
        }
        long[] shape = shape(input.path("shape"), field + ".shape");
        if (!spec.accepts(shape)) {
            throw new InvalidInputException(
                    field + ".shape",
                    "input '" + spec.name() + "' takes shape " + Arrays.toString(spec.shape()) + " (-1 = any), got "
                            + Arrays.toString(shape));
        }
        long expected = boundedElementCount(shape, maxElements, field + ".shape");
        JsonNode binarySize = input.path("parameters").path("binary_data_size");
        if (!binarySize.isMissingNode()) {
            if (input.has("data")) {
                throw new InvalidInputException(field, "give either data or parameters.binary_data_size, not both");
            }
            if (!binarySize.canConvertToInt()) {
                throw new InvalidInputException(
                        field + ".parameters.binary_data_size", "expected a byte count, got " + binarySize);
            }
            return new Tensor(
                    type,
                    shape,
                    BinaryTensorData.read(
                            binary,
                            binarySize.asInt(),
                            type,
                            Math.toIntExact(expected),
                            field + ".parameters.binary_data_size"));
        }
        List<JsonNode> values = new ArrayList<>();
        flatten(input.path("data"), shape, values, field + ".data");
        if (values.size() != expected) {
            throw new InvalidInputException(
                    field + ".data",
                    "shape " + Arrays.toString(shape) + " needs " + expected + " elements, got " + values.size());
        }
        return new Tensor(type, shape, elements(values, type, field + ".data"));
    }

    /** The shape's element count, refused as soon as the running product passes the limit (so it never overflows). */
    private static long boundedElementCount(long[] shape, long maxElements, String field) {
        long count = 1;
        for (long d : shape) {
            count = d == 0 ? 0 : count > maxElements / d ? maxElements + 1 : count * d;
        }
        if (count > maxElements) {
            throw new PayloadTooLargeException(
                    field,
                    "shape " + Arrays.toString(shape) + " holds more than " + maxElements
                            + " elements (infera.limits.max-tensor-elements)");
        }
        return count;
    }

    private static long[] shape(JsonNode node, String field) {
        if (!node.isArray()) {
            throw new InvalidInputException(field, "expected a list of dimensions");
        }
        long[] shape = new long[node.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = node.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong() || d.asLong() < 0) {
                throw new InvalidInputException(field, "dimensions must be integers >= 0, got " + d);
            }
            shape[i] = d.asLong();
        }
        return shape;
    }

    /**
     * The data's elements in row-major order. Data may be flat or nested; nested data must follow
     * the shape exactly ({@code [["a"], "b"]} for shape [2] is refused, not flattened).
     */
    private static void flatten(JsonNode node, long[] shape, List<JsonNode> out, String field) {
        if (node.isMissingNode() || node.isNull()) {
            throw new InvalidInputException(field, "is required");
        }
        if (!node.isArray()) {
            throw new InvalidInputException(
                    field,
                    "expected a list of elements, got "
                            + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        boolean nested = node.size() > 0 && node.get(0).isArray();
        if (!nested) {
            for (JsonNode element : node) {
                if (element.isArray()) {
                    throw new InvalidInputException(field, "mixes lists and elements at one level");
                }
                out.add(element);
            }
            return;
        }
        nest(node, shape, 0, out, field);
    }

    private static void nest(JsonNode node, long[] shape, int dim, List<JsonNode> out, String field) {
        if (dim == shape.length) {
            if (node.isArray()) {
                throw new InvalidInputException(field, "is nested deeper than the shape " + Arrays.toString(shape));
            }
            out.add(node);
            return;
        }
        if (!node.isArray() || node.size() != shape[dim]) {
            throw new InvalidInputException(
                    field,
                    "nested data must follow the shape " + Arrays.toString(shape) + ": dimension " + dim
                            + " expects a list of " + shape[dim]);
        }
        for (JsonNode child : node) {
            nest(child, shape, dim + 1, out, field);
        }
    }

    private static Object elements(List<JsonNode> values, DataType type, String field) {
        int n = values.size();
        Object data = type.newArray(n);
        for (int i = 0; i < n; i++) {
            JsonNode v = values.get(i);
            switch (type) {
                case FP32 -> ((float[]) data)[i] = (float) number(v, field, Float.MAX_VALUE);
                case FP64 -> ((double[]) data)[i] = number(v, field, Double.MAX_VALUE);
                case FP16 -> ((short[]) data)[i] = Float.floatToFloat16((float) number(v, field, FP16_MAX));
                case INT64 -> ((long[]) data)[i] = integer(v, field, Long.MIN_VALUE, Long.MAX_VALUE);
                case INT32 -> ((int[]) data)[i] = (int) integer(v, field, Integer.MIN_VALUE, Integer.MAX_VALUE);
                case INT16 -> ((short[]) data)[i] = (short) integer(v, field, Short.MIN_VALUE, Short.MAX_VALUE);
                case INT8 -> ((byte[]) data)[i] = (byte) integer(v, field, Byte.MIN_VALUE, Byte.MAX_VALUE);
                case UINT8 -> ((byte[]) data)[i] = (byte) integer(v, field, 0, 255);
                case BOOL -> {
                    if (!v.isBoolean()) {
                        throw new InvalidInputException(field, "BOOL elements must be true or false, got " + v);
                    }
                    ((boolean[]) data)[i] = v.asBoolean();
                }
                case BYTES -> {
                    if (!v.isTextual()) {
                        throw new InvalidInputException(field, "BYTES elements must be strings, got " + v);
                    }
                    ((String[]) data)[i] = v.asText();
                }
            }
        }
        return data;
    }

    /** The largest finite half-precision value. */
    private static final double FP16_MAX = 65504;

    /**
     * A JSON number as a finite value of the tensor's type: JSON has no NaN or infinity, so a literal
     * beyond the type's range (1e39 for FP32) is a mistake, not a request for infinity.
     */
    private static double number(JsonNode v, String field, double max) {
        if (!v.isNumber()) {
            throw new InvalidInputException(field, "elements must be numbers, got " + v);
        }
        double value = v.asDouble();
        if (!(Math.abs(value) <= max)) {
            throw new InvalidInputException(
                    field, "element " + v + " is outside the range of the tensor's type (|x| <= " + max + ")");
        }
        return value;
    }

    private static long integer(JsonNode v, String field, long min, long max) {
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
            throw new InvalidInputException(field, "elements must be integers in [" + min + ", " + max + "], got " + v);
        }
        return v.asLong();
    }

    /** One output's {@code {name, datatype, shape}}, without its data. */
    static ObjectNode header(String name, Tensor tensor) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("name", name);
        out.put("datatype", tensor.type().name());
        ArrayNode shape = out.putArray("shape");
        for (long d : tensor.shape()) {
            shape.add(d);
        }
        return out;
    }

    /** One output as {@code {name, datatype, shape, data}} with flat row-major data. */
    static ObjectNode encode(String name, Tensor tensor) {
        ObjectNode out = header(name, tensor);
        ArrayNode data = out.putArray("data");
        int n = tensor.elementCount();
        switch (tensor.type()) {
            case FP32 -> {
                for (float v : tensor.floats()) data.add(v);
            }
            case FP64 -> {
                for (double v : (double[]) tensor.data()) data.add(v);
            }
            case FP16 -> {
                for (short v : tensor.shorts()) data.add(Float.float16ToFloat(v));
            }
            case INT64 -> {
                for (long v : tensor.longs()) data.add(v);
            }
            case INT32 -> {
                for (int v : tensor.ints()) data.add(v);
            }
            case INT16 -> {
                for (short v : tensor.shorts()) data.add(v);
            }
            case INT8 -> {
                for (byte v : (byte[]) tensor.data()) data.add(v);
            }
            case UINT8 -> {
                for (byte v : (byte[]) tensor.data()) data.add(v & 0xFF);
            }
            case BOOL -> {
                for (boolean v : tensor.booleans()) data.add(v);
            }
            case BYTES -> {
                for (String v : tensor.strings()) data.add(v);
            }
        }
        assert data.size() == n;
        return out;
    }
}
