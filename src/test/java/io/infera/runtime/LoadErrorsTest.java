package io.infera.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Load errors lose absolute paths and ONNX Runtime's source locations before clients see them. */
class LoadErrorsTest {

    private static final Path MODEL = Path.of("/srv/models/m/model.onnx");

    @Test
    void theModelFileIsNamedAndItsFolderIsNot() {
        assertEquals(
                "Load model from model.onnx failed: allowed directory: \"<model folder>\"",
                LoadErrors.clean(
                        "Load model from /srv/models/m/model.onnx failed: allowed directory: \"/srv/models/m\"",
                        MODEL));
    }

    @Test
    void nativeSourceLocationsAndSignaturesAreDropped() {
        String ort =
                "Load model from /srv/models/m/model.onnx failed:/onnxruntime_src/onnxruntime/core/graph/model_load_utils.h:46 "
                        + "void onnxruntime::model_load_utils::ValidateOpsetForDomain("
                        + "const std::unordered_map<std::__cxx11::basic_string<char>, int>&, "
                        + "const onnxruntime::logging::Logger&, bool, const string&, int) "
                        + "ONNX Runtime only *guarantees* support for models "
                        + "stamped with official released onnx opset versions. Opset 999 is under development.";
        assertEquals(
                "Load model from model.onnx failed:ONNX Runtime only *guarantees* support for models stamped with official "
                        + "released onnx opset versions. Opset 999 is under development.",
                LoadErrors.clean(ort, MODEL));
    }
}
