package io.infera.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infera.errors.ModelLoadException;
import io.infera.runtime.BackendKind;
import io.infera.runtime.Device;
import io.infera.runtime.OnnxSessionSettings;
import io.infera.tasks.DetectionFamily;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** serving.yaml's fixed vocabularies are read into their types, and a wrong word names its field and the words allowed. */
class ServingConfigTest {

    @TempDir
    Path folder;

    private ServingConfig read(String yaml) throws Exception {
        Path file = folder.resolve("serving.yaml");
        Files.writeString(file, yaml);
        return ServingConfig.read(file);
    }

    @Test
    void theVocabulariesAreReadIntoTheirTypes() throws Exception {
        ServingConfig config = read("""
                backend: TorchScript
                device: cuda:1
                detection: {family: set-prediction}
                onnx: {optimization_level: Extended}
                """);
        assertEquals(BackendKind.TORCHSCRIPT, config.backend());
        assertEquals(new Device(Device.Kind.CUDA, 1), config.device());
        assertEquals(DetectionFamily.SET_PREDICTION, config.detection().family());
        assertEquals(
                OnnxSessionSettings.OptimizationLevel.EXTENDED, config.onnx().optimizationLevel());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "backend: tensorflow | backend: backend 'tensorflow' is not supported (supported: onnx, torchscript)",
                "device: tpu | device: device must be cpu, cuda or cuda:N, got 'tpu'",
                "'detection: {family: ssd}' | detection.family: detection family 'ssd' is not one of set-prediction, yolo, boxes, anchors",
                "'onnx: {optimization_level: max}' | onnx.optimization_level: optimization level 'max' is not one of "
                        + "none, basic, extended, all"
            })
    void aWrongWordNamesItsFieldAndTheWordsAllowed(String yaml, String message) {
        ModelLoadException error = assertThrows(ModelLoadException.class, () -> read(yaml));
        assertEquals("serving.yaml " + message, error.getMessage());
    }

    @Test
    void aListWhereAWordBelongsIsRefused() {
        ModelLoadException error = assertThrows(ModelLoadException.class, () -> read("backend: [onnx]"));
        assertTrue(error.getMessage().startsWith("serving.yaml backend: "), error.getMessage());
    }
}
