package io.infera.api.v2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infera.api.JsonLimits;
import io.infera.errors.InvalidInputException;
import io.infera.errors.PayloadTooLargeException;
import io.infera.runtime.DataType;
import io.infera.runtime.Tensor;
import io.infera.runtime.TensorSpec;
import io.infera.testing.Leaks;
import java.lang.reflect.Array;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Timeout;

/**
 * The Open Inference Protocol's JSON-to-tensor path, fuzzed: whatever the bytes, decoding either
 * gives tensors that fit the model's declared inputs or refuses with a 400/413 whose message shows
 * no internals. The committed corpus (TensorDecodingFuzzTestInputs/) is replayed on every build.
 */
class TensorDecodingFuzzTest {

    private static final ObjectMapper JSON = JsonLimits.apply(new ObjectMapper(), 64, 100);
    private static final long MAX_ELEMENTS = 1 << 16;
    private static final List<TensorSpec> DECLARED = List.of(
            new TensorSpec("x_f32", DataType.FP32, new long[] {-1, 3}),
            new TensorSpec("x_f16", DataType.FP16, new long[] {-1, 2}),
            new TensorSpec("x_i64", DataType.INT64, new long[] {-1}),
            new TensorSpec("x_bool", DataType.BOOL, new long[] {2}),
            new TensorSpec("x_str", DataType.BYTES, new long[] {-1}));

    /**
     * @param input a JSON body; or 'B', one byte giving the JSON header's length, then a body with
     *              binary tensor data after the JSON (the binary data extension)
     */
    @FuzzTest(maxDuration = "2m")
    @Timeout(10)
    void jsonToTensors(byte[] input) {
        String headerLength = null;
        byte[] body = input;
        if (input.length >= 2 && input[0] == 'B') {
            headerLength = Integer.toString(input[1] & 0xFF);
            body = Arrays.copyOfRange(input, 2, input.length);
        }
        try {
            InferRequest request = InferRequest.parse(body, headerLength, JSON);
            Map<String, Tensor> tensors =
                    V2TensorCodec.decodeInputs(request.json().get("inputs"), DECLARED, request.binary(), MAX_ELEMENTS);
            assertEquals(DECLARED.size(), tensors.size());
            for (TensorSpec spec : DECLARED) {
                Tensor tensor = tensors.get(spec.name());
                assertEquals(spec.type(), tensor.type());
                assertTrue(spec.accepts(tensor.shape()), Arrays.toString(tensor.shape()));
                assertEquals(Tensor.elementCount(tensor.shape()), Array.getLength(tensor.data()));
                assertTrue(Tensor.elementCount(tensor.shape()) <= MAX_ELEMENTS);
            }
        } catch (InvalidInputException | PayloadTooLargeException refused) {
            assertFalse(Leaks.in(refused.getMessage(), input), refused.getMessage());
        }
    }
}
