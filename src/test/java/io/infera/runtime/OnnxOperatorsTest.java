package io.infera.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infera.testing.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator types read from ONNX files, and what they say about batching. */
class OnnxOperatorsTest {

    @Test
    void readsTheNodesOfTheMainGraph() throws IOException {
        Set<String> operators = OnnxOperators.of(TestModels.DIR.resolve("tiny-bert-encoder-int8/model.onnx"));
        assertTrue(
                operators.containsAll(Set.of("DynamicQuantizeLinear", "MatMulInteger", "Gather")),
                operators.toString());
        assertFalse(OnnxOperators.of(TestModels.DIR.resolve("tiny-bert-encoder/model.onnx"))
                .contains("DynamicQuantizeLinear"));
    }

    /** optimum's merged decoders keep the whole model inside an If node's two branches. */
    @Test
    void readsTheNodesOfSubgraphs() throws IOException {
        Set<String> operators = OnnxOperators.of(TestModels.DIR.resolve("tiny-gpt2-merged/decoder_model_merged.onnx"));
        assertTrue(operators.contains("If"), operators.toString());
        assertTrue(operators.containsAll(Set.of("MatMul", "Softmax")), "the branches' nodes: " + operators);
    }

    @Test
    void refusesWhatIsNotAProtobuf(@TempDir Path dir) throws IOException {
        Path broken =
                Files.write(dir.resolve("model.onnx"), new byte[] {0x0A, (byte) 0xFF, (byte) 0xFF, 0x7F, 1, 2, 3});
        assertThrows(IOException.class, () -> OnnxOperators.of(broken));
    }

    @Test
    void dynamicQuantizationCouplesTheRowsOfARun() {
        Optional<String> reason = BatchCoupling.of(Set.of("MatMulInteger", "DynamicQuantizeLinear"));
        assertTrue(reason.orElseThrow().contains("DynamicQuantizeLinear"), reason.toString());
        assertTrue(BatchCoupling.of(Set.of("DynamicQuantizeMatMul")).isPresent());
        assertEquals(
                Optional.empty(), BatchCoupling.of(Set.of("MatMul", "QLinearMatMul", "Softmax", "LayerNormalization")));
    }
}
