package io.infera.registry;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infera.errors.ModelLoadException;
import io.infera.testing.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A key of a model's files that would change the answers and that Infera does not implement fails
 * the model's load, with a message naming the file and the key; never is it silently dropped. Each
 * case copies a test model, changes one file, and loads it.
 */
class ModelConfigKeysTest {

    @TempDir
    Path root;

    /** One change to one file of one test model, and what the load failure must name. */
    record Change(String model, String file, Consumer<ObjectNode> edit, String named) {
        @Override
        public String toString() {
            return model + " " + file + ": " + named;
        }
    }

    static Stream<Change> changes() {
        return Stream.of(
                new Change(
                        "tiny-vit",
                        "preprocessor_config.json",
                        json -> json.put("do_magic", true),
                        "preprocessor_config.json key 'do_magic'"),
                new Change(
                        "tiny-vit",
                        "preprocessor_config.json",
                        json -> json.put("do_convert_rgb", false),
                        "do_convert_rgb"),
                new Change("tiny-vit", "preprocessor_config.json", json -> json.put("resample", 42), "resample 42"),
                new Change(
                        "tiny-detr",
                        "preprocessor_config.json",
                        json -> ((ObjectNode) json.get("size")).put("multiple_of", 32),
                        "size.multiple_of"),
                new Change(
                        "tiny-detr",
                        "preprocessor_config.json",
                        json -> json.putObject("pad_size").put("height", 96).put("width", 96),
                        "pad_size"),
                new Change("tiny-wav2vec2-ctc", "preprocessor_config.json", json -> json.put("dither", 0.5), "dither"),
                new Change(
                        "tiny-wav2vec2-ctc",
                        "preprocessor_config.json",
                        json -> json.put("padding_side", "left"),
                        "padding_side"),
                new Change(
                        "tiny-whisper-audio",
                        "preprocessor_config.json",
                        json -> json.put("mel_filters_norm", "htk"),
                        "mel_filters_norm"),
                new Change(
                        "tiny-whisper",
                        "generation_config.json",
                        json -> json.put("condition_on_prev_tokens", true),
                        "generation_config.json key 'condition_on_prev_tokens'"),
                new Change(
                        "tiny-whisper",
                        "generation_config.json",
                        json -> json.put("compression_ratio_threshold", 2.4),
                        "compression_ratio_threshold"),
                new Change(
                        "tiny-bert-sentiment",
                        "tokenizer_config.json",
                        json -> json.put("do_lower_case", false),
                        "do_lower_case"),
                new Change(
                        "tiny-roberta-ner",
                        "tokenizer_config.json",
                        json -> json.put("add_prefix_space", true),
                        "add_prefix_space"),
                new Change(
                        "tiny-bert-sentiment",
                        "tokenizer_config.json",
                        json -> json.put("truncation_side", "left"),
                        "truncation_side"),
                new Change("tiny-st-short", "modules.json", json -> {}, "sentence_transformers.models.Dense"),
                new Change(
                        "tiny-st-short",
                        "1_Pooling/config.json",
                        json -> json.put("pooling_mode_max_tokens", true),
                        "max_tokens"),
                new Change(
                        "tiny-st-short",
                        "config_sentence_transformers.json",
                        json -> json.put("default_prompt_name", "query"),
                        "default_prompt_name"),
                new Change(
                        "tiny-st-short",
                        "sentence_bert_config.json",
                        json -> json.put("max_seq_lenght", 16),
                        "max_seq_lenght"),
                new Change("tiny-gpt2", "config.json", json -> json.put("prefix", "Once upon a time"), "prefix"),
                new Change(
                        "tiny-gpt2",
                        "config.json",
                        json -> json.putObject("task_specific_params")
                                .putObject("text-generation")
                                .put("prefix", "Once upon a time"),
                        "prefix"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changes")
    void aKeyThatWouldChangeTheAnswersFailsTheLoadNamingIt(Change change) throws IOException {
        Path folder = copy(change.model());
        if (change.file().equals("modules.json")) {
            ArrayNode modules = (ArrayNode)
                    TestModels.JSON.readTree(folder.resolve("modules.json").toFile());
            modules.addObject()
                    .put("idx", 3)
                    .put("name", "3")
                    .put("path", "3_Dense")
                    .put("type", "sentence_transformers.models.Dense");
            Files.writeString(folder.resolve("modules.json"), modules.toString());
        } else {
            edit(folder.resolve(change.file()), change.edit());
        }
        ModelLoadException failed = assertThrows(ModelLoadException.class, () -> load(folder));
        assertTrue(failed.getMessage().contains(change.named()), failed.getMessage());
    }

    /** Keys that change nothing load: a key set to null, the annotation settings of a detection processor. */
    @Test
    void keysThatChangeNothingLoad() throws Exception {
        Path detr = copy("tiny-detr");
        edit(
                detr.resolve("preprocessor_config.json"),
                json -> json.putNull("pad_size").put("do_convert_annotations", false));
        load(detr).close();
        Path bert = copy("tiny-bert-sentiment");
        edit(
                bert.resolve("tokenizer_config.json"),
                json -> json.put("do_lower_case", true).put("padding_side", "left"));
        load(bert).close();
    }

    private Path copy(String model) throws IOException {
        Path folder = root.resolve(model);
        TestModels.copyFolder(TestModels.DIR.resolve(model), folder);
        return folder;
    }

    private static void edit(Path file, Consumer<ObjectNode> edit) throws IOException {
        JsonNode json = Files.isRegularFile(file)
                ? TestModels.JSON.readTree(file.toFile())
                : TestModels.JSON.createObjectNode();
        edit.accept((ObjectNode) json);
        Files.writeString(file, json.toString());
    }

    private static ServedModel load(Path folder) throws ModelLoadException {
        return new ModelLoader(TestModels.DEFAULTS, TestModels.JSON)
                .load(folder.getFileName().toString(), folder);
    }
}
