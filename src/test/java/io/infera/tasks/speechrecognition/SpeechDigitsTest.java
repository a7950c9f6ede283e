package io.infera.tasks.speechrecognition;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.infera.registry.ModelLoader;
import io.infera.registry.ServedModel;
import io.infera.tasks.TaskInput;
import io.infera.testing.ReferenceCase;
import io.infera.testing.TestModels;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bundled speech-digits recogniser (fixtures/train_speech_digits.py) transcribes digits spoken
 * by voices it was not trained on exactly as the model does in ONNX Runtime from Python
 * (fixtures/speech_digits_reference.py).
 */
class SpeechDigitsTest {

    private static ServedModel model;

    @BeforeAll
    static void load() throws Exception {
        model = new ModelLoader(TestModels.DEFAULTS, TestModels.JSON)
                .load("speech-digits", TestModels.BUNDLED.resolve("speech-digits"));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static Stream<ReferenceCase> cases() {
        return ReferenceCase.load("speech-digits.json").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void transcribesAsTheModelDoes(ReferenceCase c) throws Exception {
        byte[] wav = Files.readAllBytes(TestModels.AUDIO.resolve(c.inputs().asText()));
        List<Object> answers = model.pipeline()
                .orElseThrow()
                .predict(List.of(new TaskInput.Binary(wav, "audio/wav", "body")), null, null)
                .join();
        assertEquals(
                c.expected().get("text").asText(),
                TestModels.JSON.valueToTree(answers.getFirst()).get("text").asText());
    }
}
