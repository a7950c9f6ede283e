package io.infera.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.infera.registry.ServedModel;
import io.infera.testing.TestModels;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The CUDA execution provider on a real GPU, giving the CPU's answers. Runs only on a CUDA
 * machine with the -Pcuda build: {@code ./mvnw -Pcuda test -Dtest.excludedGroups= -Dgroups=gpu -Dinfera.test.gpu=true}.
 */
@Tag("gpu")
class CudaBackendTest {

    @Test
    void tensorOpsRunOnTheGpu() throws Exception {
        try (Backend gpu = OnnxBackend.open(
                TestModels.DIR.resolve("tensor-ops/model.onnx"), Device.parse("cuda:0"), OnnxSessionSettings.DEFAULT)) {
            assertEquals("cuda:0", gpu.device().toString());
            Map<String, Tensor> out = gpu.run(
                    Map.of(
                            "x_f32", Tensor.of(new float[] {1, 2, 3}, 1, 3),
                            "x_f16", new Tensor(DataType.FP16, new long[] {1, 2}, new short[] {0, 0}),
                            "x_i64", Tensor.of(new long[] {41}, 1),
                            "x_i32", Tensor.of(new int[] {1, 2, 3, 4}, 2, 2),
                            "x_bool", Tensor.of(new boolean[] {true}, 1),
                            "x_str", Tensor.of(new String[] {"s"}, 1)),
                    List.of("y_f32", "y_i64"));
            assertArrayEquals(new float[] {2, 4, 6}, out.get("y_f32").floats());
            assertArrayEquals(new long[] {42}, out.get("y_i64").longs());
        }
    }

    @Test
    void classifierScoresMatchTheCpu() {
        try (ServedModel cpu = TestModels.load("tiny-bert-sentiment")) {
            Map<String, Tensor> row = Map.of(
                    "input_ids", Tensor.of(new long[] {2, 42, 70, 3}, 1, 4),
                    "token_type_ids", Tensor.of(new long[] {0, 0, 0, 0}, 1, 4),
                    "attention_mask", Tensor.of(new long[] {1, 1, 1, 1}, 1, 4));
            float[] expected =
                    cpu.backend().run(row, List.of("logits")).get("logits").floats();
            try (Backend gpu = OnnxBackend.open(
                    TestModels.DIR.resolve("tiny-bert-sentiment/model.onnx"),
                    Device.parse("cuda:0"),
                    OnnxSessionSettings.DEFAULT)) {
                assertArrayEquals(
                        expected, gpu.run(row, List.of("logits")).get("logits").floats(), 1e-4f);
            }
        } catch (io.infera.errors.ModelLoadException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }
}
