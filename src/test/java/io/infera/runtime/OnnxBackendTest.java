package io.infera.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infera.errors.BackendException;
import io.infera.errors.ModelLoadException;
import io.infera.testing.TestModels;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ONNX Runtime behind the Backend interface, on a generated graph with one op per datatype. */
class OnnxBackendTest {

    private static final Path TENSOR_OPS = TestModels.DIR.resolve("tensor-ops/model.onnx");
    private static Backend backend;

    @BeforeAll
    static void open() throws ModelLoadException {
        backend = OnnxBackend.open(TENSOR_OPS, Device.CPU, OnnxSessionSettings.DEFAULT);
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    @Test
    void declaresInputsAndOutputsWithDynamicDimensions() {
        assertEquals(
                List.of("x_f32", "x_f16", "x_i64", "x_i32", "x_bool", "x_str"),
                backend.inputs().stream().map(TensorSpec::name).toList());
        TensorSpec f32 = backend.inputs().getFirst();
        assertEquals(DataType.FP32, f32.type());
        assertArrayEquals(new long[] {-1, 3}, f32.shape());
        assertEquals(DataType.BYTES, backend.outputs().getLast().type());
    }

    @Test
    void runsEveryDatatypeWithoutLosingValues() {
        Map<String, Tensor> out = backend.run(inputs(), List.of());
        assertArrayEquals(new float[] {2, 4, 6, -2, -4, 1e30f}, out.get("y_f32").floats());
        assertArrayEquals(new long[] {2, 3}, out.get("y_f32").shape());
        short[] half = out.get("y_f16").shorts();
        assertEquals(0.5f, Float.float16ToFloat(half[0]));
        assertEquals(-65504f, Float.float16ToFloat(half[1]));
        assertArrayEquals(
                new long[] {Long.MIN_VALUE + 1, 9_007_199_254_740_994L},
                out.get("y_i64").longs());
        assertArrayEquals(
                new int[] {2, 3, 4, Integer.MIN_VALUE}, out.get("y_i32").ints());
        assertArrayEquals(new boolean[] {false, true, false}, out.get("y_bool").booleans());
        assertArrayEquals(new String[] {"a", "é中🙂", ""}, out.get("y_str").strings());
    }

    @Test
    void returnsOnlyTheOutputsAskedFor() {
        Map<String, Tensor> out = backend.run(inputs(), List.of("y_i64", "y_bool"));
        assertEquals(List.of("y_i64", "y_bool"), List.copyOf(out.keySet()));
    }

    @Test
    void runtimeErrorsBecomeBackendExceptions() {
        Map<String, Tensor> bad = inputs();
        bad.put("x_i32", Tensor.of(new int[] {1, 2, 3}, 3)); // the graph fixes [2, 2]
        BackendException e = assertThrows(BackendException.class, () -> backend.run(bad, List.of()));
        assertTrue(e.getMessage().startsWith("ONNX Runtime failed to run the model"), e.getMessage());
    }

    /**
     * The CPU build has no CUDA provider; the -Pcuda build on a machine without the CUDA 12
     * libraries has one that cannot start. Either way the load fails: never a silent CPU fallback.
     */
    @Test
    void cudaIsRefusedWhereItCannotRun() {
        org.junit.jupiter.api.Assumptions.assumeFalse(Boolean.getBoolean("infera.test.gpu"), "a GPU is present");
        ModelLoadException e = assertThrows(
                ModelLoadException.class,
                () -> OnnxBackend.open(TENSOR_OPS, Device.parse("cuda:7"), OnnxSessionSettings.DEFAULT));
        assertTrue(
                e.getMessage().contains("no CUDA execution provider")
                        || e.getMessage().contains("failed to start"),
                e.getMessage());
    }

    @Test
    void aFileThatIsNotOnnxFailsWithoutItsPath() {
        ModelLoadException e = assertThrows(
                ModelLoadException.class,
                () -> OnnxBackend.open(
                        TestModels.DIR.resolve("broken-onnx/model.onnx"), Device.CPU, OnnxSessionSettings.DEFAULT));
        assertTrue(e.getMessage().contains("Protobuf parsing failed"), e.getMessage());
        assertTrue(!e.getMessage().contains("src/test"), e.getMessage());
    }

    private static Map<String, Tensor> inputs() {
        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put("x_f32", Tensor.of(new float[] {1, 2, 3, -1, -2, 5e29f}, 2, 3));
        in.put("x_f16", new Tensor(DataType.FP16, new long[] {1, 2}, new short[] {
            Float.floatToFloat16(0.5f), Float.floatToFloat16(-65504f)
        }));
        in.put("x_i64", Tensor.of(new long[] {Long.MIN_VALUE, 9_007_199_254_740_993L}, 2));
        in.put("x_i32", Tensor.of(new int[] {1, 2, 3, Integer.MAX_VALUE}, 2, 2));
        in.put("x_bool", Tensor.of(new boolean[] {true, false, true}, 3));
        in.put("x_str", Tensor.of(new String[] {"a", "é中🙂", ""}, 3));
        return in;
    }
}
