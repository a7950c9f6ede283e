package io.infera.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.infera.testing.TestModels;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * TorchScript on a real GPU gives the CPU's answers. libtorch 2.7.1's CUDA natives are not on Maven
 * Central: run on a CUDA machine with PYTORCH_LIBRARY_PATH pointing at a libtorch 2.7.1 cu128 lib
 * folder and PYTORCH_FLAVOR=cu128 (README, TorchScript on CUDA):
 * {@code ./mvnw test -Dtest.excludedGroups= -Dgroups=gpu -Dtest=TorchScriptCudaTest}.
 */
@Tag("gpu")
class TorchScriptCudaTest {

    private static final List<TensorSpec> INPUTS = java.util.stream.Stream.of(
                    "input_ids", "token_type_ids", "attention_mask")
            .map(name -> new TensorSpec(name, DataType.INT64, new long[] {-1, -1}))
            .toList();
    private static final List<TensorSpec> OUTPUTS =
            List.of(new TensorSpec("logits", DataType.FP32, new long[] {-1, 3}));

    @Test
    void classifierScoresMatchTheCpu() throws Exception {
        Path model = TestModels.DIR.resolve("tiny-bert-sentiment-torchscript/model.pt");
        Map<String, Tensor> row = Map.of(
                "input_ids", Tensor.of(new long[] {2, 42, 70, 3}, 1, 4),
                "token_type_ids", Tensor.of(new long[] {0, 0, 0, 0}, 1, 4),
                "attention_mask", Tensor.of(new long[] {1, 1, 1, 1}, 1, 4));
        float[] expected;
        try (Backend cpu = TorchScriptBackend.open(model, Device.CPU, INPUTS, OUTPUTS, TorchSettings.DEFAULTS)) {
            expected = cpu.run(row, List.of()).get("logits").floats();
        }
        try (Backend gpu =
                TorchScriptBackend.open(model, Device.parse("cuda:0"), INPUTS, OUTPUTS, TorchSettings.DEFAULTS)) {
            assertEquals("cuda:0", gpu.device().toString());
            assertArrayEquals(expected, gpu.run(row, List.of()).get("logits").floats(), 1e-4f);
        }
    }
}
