package io.infera.tasks.imageclassification;

import io.infera.registry.ServedModel;
import io.infera.tasks.TaskInput;
import io.infera.testing.JsonMatch;
import io.infera.testing.ReferenceCase;
import io.infera.testing.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * image-classification equals the transformers pipeline (PIL backend processors) on PNG and JPEG
 * photographs in RGB, grey, RGBA and palette modes, for a height/width (ViT) and a
 * shortest-edge + crop_pct (ConvNeXt, bicubic) processor.
 */
class ImageClassificationParityTest {

    private static final Map<String, ServedModel> MODELS = new ConcurrentHashMap<>();

    static Stream<ReferenceCase> cases() {
        return Stream.concat(
                ReferenceCase.load("image-classification.json").stream(),
                ReferenceCase.load("fashion-mnist-cnn.json").stream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPipeline(ReferenceCase c) throws IOException {
        ServedModel model = MODELS.computeIfAbsent(
                c.model(),
                name -> name.equals("fashion-mnist-cnn")
                        ? TestModels.load(TestModels.BUNDLED, name)
                        : TestModels.load(name));
        byte[] image = Files.readAllBytes(TestModels.IMAGES.resolve(c.inputs().asText()));
        String type = c.inputs().asText().endsWith(".jpg") ? "image/jpeg" : "image/png";
        Object result = model.pipeline()
                .orElseThrow()
                .predict(List.of(new TaskInput.Binary(image, type, "body")), c.parameters(), null)
                .join()
                .getFirst();
        JsonMatch.assertMatches(c.expected(), result);
    }

    @AfterAll
    static void close() {
        MODELS.values().forEach(ServedModel::close);
    }
}
