package io.infera.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infera.tasks.HfConfig;
import io.infera.tasks.ModelFiles;
import io.infera.tasks.TaskType;
import io.infera.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskResolverTest {

    @TempDir
    Path folder;

    private Optional<TaskType> resolve(String architecture, String extraConfig) throws Exception {
        HfConfig config = new HfConfig(
                TestModels.JSON.readTree("{\"architectures\": [\"" + architecture + "\"]" + extraConfig + "}"));
        return TaskResolver.resolve(ServingConfig.EMPTY, config, ModelFiles.unversioned(folder));
    }

    @Test
    void architecturesNameTheirTask() throws Exception {
        assertEquals(
                TaskType.TEXT_CLASSIFICATION,
                resolve("BertForSequenceClassification", "").orElseThrow());
        assertEquals(
                TaskType.TOKEN_CLASSIFICATION,
                resolve("RobertaForTokenClassification", "").orElseThrow());
        assertEquals(
                TaskType.QUESTION_ANSWERING,
                resolve("DistilBertForQuestionAnswering", "").orElseThrow());
        assertEquals(
                TaskType.TABLE_QUESTION_ANSWERING,
                resolve("TapasForQuestionAnswering", "").orElseThrow());
        assertEquals(
                TaskType.VISUAL_QUESTION_ANSWERING,
                resolve("ViltForQuestionAnswering", "").orElseThrow());
        assertEquals(TaskType.FILL_MASK, resolve("BertForMaskedLM", "").orElseThrow());
        assertEquals(
                TaskType.MULTIPLE_CHOICE, resolve("BertForMultipleChoice", "").orElseThrow());
        assertEquals(TaskType.TEXT_GENERATION, resolve("GPT2LMHeadModel", "").orElseThrow());
        assertEquals(TaskType.TEXT_GENERATION, resolve("LlamaForCausalLM", "").orElseThrow());
        assertEquals(
                TaskType.TEXT2TEXT_GENERATION,
                resolve("T5ForConditionalGeneration", ", \"is_encoder_decoder\": true")
                        .orElseThrow());
        assertEquals(
                TaskType.IMAGE_CLASSIFICATION,
                resolve("ViTForImageClassification", "").orElseThrow());
        assertEquals(
                TaskType.OBJECT_DETECTION, resolve("DetrForObjectDetection", "").orElseThrow());
        assertEquals(
                TaskType.IMAGE_SEGMENTATION,
                resolve("SegformerForSemanticSegmentation", "").orElseThrow());
        assertEquals(
                TaskType.AUDIO_CLASSIFICATION,
                resolve("ASTForAudioClassification", "").orElseThrow());
        assertEquals(
                TaskType.AUTOMATIC_SPEECH_RECOGNITION,
                resolve("Wav2Vec2ForCTC", "").orElseThrow());
        assertEquals(TaskType.FEATURE_EXTRACTION, resolve("BertModel", "").orElseThrow());
        assertTrue(resolve("SomethingUnheardOf", "").isEmpty());
    }

    @Test
    void sequenceClassificationOnAudioIsAudioClassification() throws Exception {
        Files.writeString(folder.resolve("preprocessor_config.json"), "{\"sampling_rate\": 16000}");
        assertEquals(
                TaskType.AUDIO_CLASSIFICATION,
                resolve("Wav2Vec2ForSequenceClassification", "").orElseThrow());
    }

    @Test
    void servingYamlWins() throws Exception {
        ServingConfig serving = servingYaml("task: feature-extraction\n");
        assertEquals(
                TaskType.FEATURE_EXTRACTION,
                TaskResolver.resolve(serving, HfConfig.empty(), ModelFiles.unversioned(folder))
                        .orElseThrow());
        ServingConfig wrong = servingYaml("task: mind-reading\n");
        assertThrows(
                IllegalArgumentException.class,
                () -> TaskResolver.resolve(wrong, HfConfig.empty(), ModelFiles.unversioned(folder)));
    }

    /** A serving.yaml as the registry reads it from a model folder. */
    private ServingConfig servingYaml(String yaml) throws Exception {
        Path file = folder.resolve("serving.yaml");
        Files.writeString(file, yaml);
        return ServingConfig.read(file);
    }
}
