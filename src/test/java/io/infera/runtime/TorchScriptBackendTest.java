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

/**
 * libtorch behind the Backend interface, on a module scripted by the local torch (2.13) and run by
 * libtorch 2.7.1: {@code forward(x_f32, x_i64, x_bool) -> {"y_f32": x_f32 * 2, "y_i64": x_i64 + 1, "y_bool": !x_bool}}.
 */
class TorchScriptBackendTest {

    private static final Path MODEL = TestModels.DIR.resolve("tensor-ops-torchscript/model.pt");
    private static final List<TensorSpec> INPUTS = List.of(
            new TensorSpec("x_f32", DataType.FP32, new long[] {-1, 3}),
            new TensorSpec("x_i64", DataType.INT64, new long[] {-1}),
            new TensorSpec("x_bool", DataType.BOOL, new long[] {-1}));
    private static final List<TensorSpec> OUTPUTS = List.of(
            new TensorSpec("y_f32", DataType.FP32, new long[] {-1, 3}),
            new TensorSpec("y_i64", DataType.INT64, new long[] {-1}),
            new TensorSpec("y_bool", DataType.BOOL, new long[] {-1}));
    private static Backend backend;

    @BeforeAll
    static void open() throws ModelLoadException {
        backend = TorchScriptBackend.open(MODEL, Device.CPU, INPUTS, OUTPUTS, TorchSettings.DEFAULTS);
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    private static Map<String, Tensor> feeds() {
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        feeds.put("x_f32", Tensor.of(new float[] {1, 2, 3, -1, -2, 1e30f}, 2, 3));
        feeds.put("x_i64", Tensor.of(new long[] {Long.MIN_VALUE, 9_007_199_254_740_993L}, 2));
        feeds.put("x_bool", Tensor.of(new boolean[] {true, false, true}, 3));
        return feeds;
    }

    @Test
    void runsEveryDeclaredDatatypeWithoutLosingValues() {
        Map<String, Tensor> out = backend.run(feeds(), List.of());
        assertEquals(List.of("y_f32", "y_i64", "y_bool"), List.copyOf(out.keySet()));
        assertArrayEquals(new float[] {2, 4, 6, -2, -4, 2e30f}, out.get("y_f32").floats());
        assertArrayEquals(new long[] {2, 3}, out.get("y_f32").shape());
        assertArrayEquals(
                new long[] {Long.MIN_VALUE + 1, 9_007_199_254_740_994L},
                out.get("y_i64").longs());
        assertArrayEquals(new boolean[] {false, true, false}, out.get("y_bool").booleans());
        assertEquals("torchscript", backend.runtimeName());
        assertEquals(INPUTS, backend.inputs());
    }

    @Test
    void returnsOnlyTheOutputsAskedFor() {
        Map<String, Tensor> out = backend.run(feeds(), List.of("y_bool"));
        assertEquals(List.of("y_bool"), List.copyOf(out.keySet()));
        BackendException e = assertThrows(BackendException.class, () -> backend.run(feeds(), List.of("nope")));
        assertTrue(e.getMessage().contains("no output nope"), e.getMessage());
    }

    @Test
    void feedsAreCheckedAgainstTheDeclaration() {
        Map<String, Tensor> wrongType = feeds();
        wrongType.put("x_i64", Tensor.of(new int[] {1, 2}, 2));
        BackendException e = assertThrows(BackendException.class, () -> backend.run(wrongType, List.of()));
        assertTrue(e.getMessage().contains("x_i64 is declared INT64[-1], got INT32[2]"), e.getMessage());
        Map<String, Tensor> wrongShape = feeds();
        wrongShape.put("x_f32", Tensor.of(new float[] {1, 2, 3, 4}, 2, 2));
        assertThrows(BackendException.class, () -> backend.run(wrongShape, List.of()));
        Map<String, Tensor> missing = feeds();
        missing.remove("x_bool");
        assertTrue(assertThrows(BackendException.class, () -> backend.run(missing, List.of()))
                .getMessage()
                .contains("x_bool"));
    }

    @Test
    void aModuleThatReturnsOtherThanDeclaredIsAClearError() throws ModelLoadException {
        List<TensorSpec> wrongOutputs = List.of(
                new TensorSpec("y_f32", DataType.FP64, new long[] {-1, 3}),
                new TensorSpec("y_i64", DataType.INT64, new long[] {-1}),
                new TensorSpec("y_bool", DataType.BOOL, new long[] {-1}));
        try (Backend wrong = TorchScriptBackend.open(MODEL, Device.CPU, INPUTS, wrongOutputs, TorchSettings.DEFAULTS)) {
            BackendException e = assertThrows(BackendException.class, () -> wrong.run(feeds(), List.of()));
            assertTrue(
                    e.getMessage().contains("y_f32 is FP32[2, 3], serving.yaml declares FP64[-1, 3]"), e.getMessage());
        }
        List<TensorSpec> renamed = List.of(new TensorSpec("logits", DataType.FP32, new long[] {-1, 3}));
        try (Backend wrong = TorchScriptBackend.open(MODEL, Device.CPU, INPUTS, renamed, TorchSettings.DEFAULTS)) {
            BackendException e = assertThrows(BackendException.class, () -> wrong.run(feeds(), List.of()));
            assertTrue(e.getMessage().contains("without key logits"), e.getMessage());
        }
    }

    @Test
    void theModuleReportsItsOwnArgumentErrors() throws ModelLoadException {
        List<TensorSpec> oneTooMany = new java.util.ArrayList<>(INPUTS);
        oneTooMany.add(new TensorSpec("extra", DataType.FP32, new long[] {-1}));
        try (Backend wrong = TorchScriptBackend.open(MODEL, Device.CPU, oneTooMany, OUTPUTS, TorchSettings.DEFAULTS)) {
            Map<String, Tensor> feeds = feeds();
            feeds.put("extra", Tensor.of(new float[] {1}, 1));
            BackendException e = assertThrows(BackendException.class, () -> wrong.run(feeds, List.of()));
            assertTrue(e.getMessage().startsWith("libtorch failed to run the model"), e.getMessage());
        }
    }

    @Test
    void aBrokenArchiveFailsToLoadWithItsReason() {
        ModelLoadException e = assertThrows(
                ModelLoadException.class,
                () -> TorchScriptBackend.open(
                        TestModels.DIR.resolve("broken-torchscript/model.pt"),
                        Device.CPU,
                        INPUTS,
                        OUTPUTS,
                        TorchSettings.DEFAULTS));
        assertTrue(e.getMessage().startsWith("libtorch cannot load model.pt: "), e.getMessage());
        assertTrue(!e.getMessage().contains(TestModels.DIR.toString()), "no server paths in the reason");
    }

    @Test
    void cudaWithoutCudaNativesIsRefusedNotRunOnTheCpu() {
        ModelLoadException e = assertThrows(
                ModelLoadException.class,
                () -> TorchScriptBackend.open(MODEL, Device.parse("cuda:0"), INPUTS, OUTPUTS, TorchSettings.DEFAULTS));
        assertTrue(e.getMessage().contains("device cuda:0 requested"), e.getMessage());
    }
}
