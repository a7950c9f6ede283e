package io.infera.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infera.errors.ModelNotFoundException;
import io.infera.errors.ModelNotReadyException;
import io.infera.tasks.TaskType;
import io.infera.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry over the committed test models: good ones READY, broken ones FAILED with a reason. */
class ModelRepositoryTest {

    private static ModelRepository repository;

    @BeforeAll
    static void start() throws InterruptedException {
        repository = new ModelRepository(TestModels.DIR, new ModelLoader(TestModels.DEFAULTS, TestModels.JSON));
        repository.start(Runnable::run);
        assertTrue(repository.awaitLoaded(Duration.ofSeconds(30)));
    }

    @AfterAll
    static void close() {
        repository.close();
    }

    @Test
    void everyFolderIsReportedWithItsState() {
        Map<String, ModelState> states =
                repository.statuses().stream().collect(Collectors.toMap(ModelStatus::name, ModelStatus::state));
        assertEquals(ModelState.READY, states.get("tiny-bert-sentiment"));
        assertEquals(ModelState.READY, states.get("tiny-vit"));
        assertEquals(ModelState.READY, states.get("tensor-ops"));
        assertEquals(ModelState.FAILED, states.get("broken-onnx"));
        assertEquals(ModelState.FAILED, states.get("wants-cuda"));
        assertEquals(ModelState.FAILED, states.get("no-artifact"));
        assertFalse(repository.loading());
    }

    @Test
    void tasksComeFromConfigArchitectures() {
        assertEquals(
                TaskType.TEXT_CLASSIFICATION,
                repository.ready("tiny-roberta-multilabel").taskType().orElseThrow());
        assertEquals(
                TaskType.FEATURE_EXTRACTION,
                repository.ready("tiny-bert-encoder").taskType().orElseThrow());
        assertEquals(
                TaskType.IMAGE_CLASSIFICATION,
                repository.ready("tiny-convnext").taskType().orElseThrow());
        assertTrue(repository.ready("tensor-ops").taskType().isEmpty());
    }

    @Test
    void failureReasonsSayWhatIsWrong() {
        assertTrue(reason("broken-onnx").contains("Protobuf parsing failed"), reason("broken-onnx"));
        assertTrue(reason("wants-cuda").contains("no CUDA execution provider"), reason("wants-cuda"));
        assertEquals("no model artifact: expected model.onnx in the model folder", reason("no-artifact"));
    }

    @Test
    void theHighestVersionIsServedUnlessPinned() {
        assertEquals("2", repository.ready("versioned").version());
        assertEquals("1", repository.ready("pinned").version());
        assertEquals("1", repository.ready("tensor-ops").version());
    }

    @Test
    void unknownAndFailedModelsAreRefused() {
        assertThrows(ModelNotFoundException.class, () -> repository.ready("nope"));
        assertThrows(ModelNotFoundException.class, () -> repository.ready("../models"));
        ModelNotReadyException e = assertThrows(ModelNotReadyException.class, () -> repository.ready("broken-onnx"));
        assertTrue(e.permanent());
    }

    @Test
    void foldersWithInvalidNamesAreSkipped(@TempDir Path root) throws Exception {
        for (String name : new String[] {"good-model", "Bad_Name", ".hidden", "-dash"}) {
            TestModels.copyFolder(TestModels.DIR.resolve("tensor-ops"), root.resolve(name));
        }
        Files.writeString(root.resolve("README.txt"), "files beside model folders are ignored");
        try (ModelRepository repo = new ModelRepository(root, new ModelLoader(TestModels.DEFAULTS, TestModels.JSON))) {
            repo.start(Runnable::run);
            assertEquals(1, repo.statuses().size());
            assertEquals("good-model", repo.statuses().getFirst().name());
        }
    }

    @Test
    void servingYamlMistakesFailTheModel(@TempDir Path root) throws Exception {
        TestModels.copyFolder(TestModels.DIR.resolve("tensor-ops"), root.resolve("typo"));
        Files.writeString(root.resolve("typo/serving.yaml"), "devise: cpu\n");
        TestModels.copyFolder(TestModels.DIR.resolve("tensor-ops"), root.resolve("bad-task"));
        Files.writeString(root.resolve("bad-task/serving.yaml"), "task: summarise-everything\n");
        TestModels.copyFolder(TestModels.DIR.resolve("versioned"), root.resolve("bad-pin"));
        Files.writeString(root.resolve("bad-pin/serving.yaml"), "version: 7\n");
        try (ModelRepository repo = new ModelRepository(root, new ModelLoader(TestModels.DEFAULTS, TestModels.JSON))) {
            repo.start(Runnable::run);
            assertTrue(repo.status("typo").orElseThrow().reason().contains("unknown field 'devise'"));
            assertTrue(repo.status("bad-task").orElseThrow().reason().contains("summarise-everything"));
            assertTrue(repo.status("bad-pin").orElseThrow().reason().contains("pins version 7"));
        }
    }

    @Test
    void aMissingModelsFolderServesNothing(@TempDir Path root) {
        try (ModelRepository repo =
                new ModelRepository(root.resolve("absent"), new ModelLoader(TestModels.DEFAULTS, TestModels.JSON))) {
            repo.start(Runnable::run);
            assertTrue(repo.statuses().isEmpty());
            assertFalse(repo.loading());
        }
    }

    private static String reason(String model) {
        return repository.status(model).orElseThrow().reason();
    }
}
