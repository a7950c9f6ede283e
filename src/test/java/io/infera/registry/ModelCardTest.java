package io.infera.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.infera.errors.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCardTest {

    @TempDir
    Path folder;

    @Test
    void theFrontMatterIsTheMetadataAndTheRestIsTheMarkdown() throws Exception {
        Path readme = Files.writeString(
                folder.resolve("README.md"),
                "---\nlicense: mit\ndatasets: [imdb]\nlanguage: [en]\n---\n\n# tiny\n\nA card.\n");
        ModelCard card = ModelCard.read(readme, null);
        assertEquals("mit", card.metadata().get("license").asText());
        assertEquals("imdb", card.metadata().at("/datasets/0").asText());
        assertEquals("# tiny\n\nA card.\n", card.markdown());
    }

    @Test
    void servingYamlFieldsJoinTheFrontMatterAndWin() throws Exception {
        Path readme = Files.writeString(folder.resolve("README.md"), "---\nlicense: mit\ntags: [a]\n---\ntext\n");
        ModelCard card =
                ModelCard.read(readme, JsonNodeFactory.instance.objectNode().put("license", "apache-2.0"));
        assertEquals("apache-2.0", card.metadata().get("license").asText());
        assertEquals("a", card.metadata().at("/tags/0").asText());
    }

    @Test
    void aReadmeWithoutFrontMatterIsAllMarkdownAndNoReadmeIsAnEmptyCard() throws Exception {
        Path readme = Files.writeString(folder.resolve("README.md"), "# plain\n");
        assertEquals("# plain\n", ModelCard.read(readme, null).markdown());
        ModelCard none = ModelCard.read(folder.resolve("absent.md"), null);
        assertEquals("", none.markdown());
        assertTrue(none.metadata().isEmpty());
    }

    @Test
    void aBrokenFrontMatterFailsTheLoadWithTheReason() throws Exception {
        Path unclosed = Files.writeString(folder.resolve("README.md"), "---\nlicense: mit\n# no end\n");
        assertTrue(assertThrows(ModelLoadException.class, () -> ModelCard.read(unclosed, null))
                .getMessage()
                .contains("never closes"));
        Path list = Files.writeString(folder.resolve("LIST.md"), "---\n- a\n- b\n---\n");
        assertTrue(assertThrows(ModelLoadException.class, () -> ModelCard.read(list, null))
                .getMessage()
                .contains("expected fields"));
    }

    @Test
    void everyBundledModelHasARealCard() throws IOException, ModelLoadException {
        List<Path> folders;
        try (Stream<Path> children = Files.list(Path.of("models"))) {
            folders = children.filter(Files::isDirectory).sorted().toList();
        }
        assertFalse(folders.isEmpty());
        for (Path model : folders) {
            ModelCard card = ModelCard.read(model.resolve("README.md"), null);
            String name = model.getFileName().toString();
            assertTrue(card.metadata().hasNonNull("license"), name + " states its licence");
            assertTrue(card.metadata().hasNonNull("pipeline_tag"), name + " states its task");
            assertTrue(
                    card.metadata().hasNonNull("datasets") || card.metadata().hasNonNull("base_model"),
                    name + " says what it was trained on or what it was made from");
            assertTrue(card.markdown().contains("**Measured**"), name + " states what was measured");
        }
    }
}
