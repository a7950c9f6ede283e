package io.infera.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infera.errors.ModelLoadException;
import io.infera.testing.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** serving.yaml for TorchScript models: trust is explicit and the tensor declarations are checked field by field. */
class TorchScriptConfigTest {

    private static final String TENSORS = """
            torchscript:
              inputs:
                - {name: x_f32, datatype: FP32, shape: [-1, 3]}
                - {name: x_i64, datatype: INT64, shape: [-1]}
                - {name: x_bool, datatype: BOOL, shape: [-1]}
              outputs:
                - {name: y_f32, datatype: FP32, shape: [-1, 3]}
                - {name: y_i64, datatype: INT64, shape: [-1]}
                - {name: y_bool, datatype: BOOL, shape: [-1]}
            """;

    @TempDir
    Path models;

    private String failure(String yaml) throws IOException {
        Path folder = Files.createDirectories(models.resolve("m"));
        Files.copy(
                TestModels.DIR.resolve("tensor-ops-torchscript/model.pt"),
                folder.resolve("model.pt"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(folder.resolve("serving.yaml"), yaml);
        ModelLoader loader = new ModelLoader(TestModels.DEFAULTS, TestModels.JSON);
        return assertThrows(ModelLoadException.class, () -> loader.load("m", folder))
                .getMessage();
    }

    @Test
    void loadsWhenTrustedAndDeclared() throws Exception {
        Path folder = Files.createDirectories(models.resolve("ok"));
        Files.copy(TestModels.DIR.resolve("tensor-ops-torchscript/model.pt"), folder.resolve("model.pt"));
        Files.writeString(folder.resolve("serving.yaml"), "backend: torchscript\ntrust: true\n" + TENSORS);
        try (ServedModel model = new ModelLoader(TestModels.DEFAULTS, TestModels.JSON).load("ok", folder)) {
            assertEquals("torchscript", model.backend().runtimeName());
            assertEquals(3, model.backend().inputs().size());
        }
    }

    @Test
    void trustMustBeSaid() throws IOException {
        assertTrue(failure("backend: torchscript\n" + TENSORS).contains("set trust: true"));
        assertTrue(failure("backend: torchscript\ntrust: false\n" + TENSORS).contains("set trust: true"));
    }

    @Test
    void declarationsAreRequiredAndChecked() throws IOException {
        String trusted = "backend: torchscript\ntrust: true\n";
        assertEquals("serving.yaml torchscript.inputs must list the tensors (name, datatype, shape)", failure(trusted));
        assertTrue(failure(trusted + TENSORS.replace("datatype: INT64", "datatype: LONG"))
                .startsWith("serving.yaml torchscript.inputs[1].datatype: 'LONG' is not one of"));
        assertEquals(
                "serving.yaml torchscript.outputs[2].name: y_i64 is declared twice",
                failure(trusted + TENSORS.replace("{name: y_bool", "{name: y_i64")));
        assertEquals(
                "serving.yaml torchscript.inputs[0].shape[0] must be a size or -1, got -2",
                failure(trusted
                        + TENSORS.replace(
                                "{name: x_f32, datatype: FP32, shape: [-1, 3]}",
                                "{name: x_f32, datatype: FP32, shape: [-2, 3]}")));
        assertTrue(failure(trusted
                        + TENSORS.replace(
                                "datatype: FP32, shape: [-1, 3]}\n    - {name: x_i64",
                                "datatype: BYTES, shape: [-1, 3]}\n    - {name: x_i64"))
                .contains("libtorch has no BYTES tensors"));
    }

    @Test
    void settingsOfTheOtherBackendAreRefused() throws IOException {
        assertEquals(
                "serving.yaml onnx: settings do not apply to backend: torchscript",
                failure("backend: torchscript\ntrust: true\nonnx: {intra_op_threads: 1}\n" + TENSORS));
    }
}
