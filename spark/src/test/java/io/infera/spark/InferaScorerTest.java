package io.infera.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infera.offline.ScoreCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark job in local[2] mode on real files (JSON lines and CSV written here from the
 * transformers reference texts): every row's answer equals what the score command — the same
 * pipeline as the HTTP route — writes for that text, in two partitions sharing one model per
 * executor; a row that fails carries its error and does not fail the job.
 */
class InferaScorerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path MODELS = Path.of("src/test/resources/models");
    private static SparkSession spark;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder()
                .master("local[2]")
                .appName("infera-test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** The reference texts scored with default parameters. */
    private static List<String> texts() throws Exception {
        List<String> texts = new ArrayList<>();
        for (JsonNode c : JSON.readTree(
                Path.of("src/test/resources/reference/text-classification.json").toFile())) {
            // (an empty text reads back from CSV as null, so it is left to the other tests)
            if (c.path("model").asText().equals("tiny-bert-sentiment")
                    && c.path("inputs").isTextual()
                    && !c.path("inputs").asText().isEmpty()) {
                texts.add(c.path("inputs").asText());
            }
        }
        return texts.stream().distinct().toList();
    }

    /** What the score command writes for these texts. */
    private static List<JsonNode> scoreCommand(List<String> texts) throws Exception {
        Path input = dir.resolve("command.jsonl");
        List<String> lines = new ArrayList<>();
        for (String text : texts) {
            lines.add(JSON.writeValueAsString(JSON.createObjectNode().put("inputs", text)));
        }
        Files.write(input, lines);
        Path output = dir.resolve("command-out.jsonl");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(
                0,
                ScoreCommand.run(
                        new String[] {
                            "--model",
                            "tiny-bert-sentiment",
                            "--models-dir",
                            MODELS.toString(),
                            "--input",
                            input.toString(),
                            "--output",
                            output.toString()
                        },
                        new PrintStream(err, true, StandardCharsets.UTF_8)));
        List<JsonNode> answers = new ArrayList<>();
        for (String line : Files.readAllLines(output)) {
            answers.add(JSON.readTree(line));
        }
        return answers;
    }

    private static void assertAnswers(Dataset<Row> scored, List<String> texts, List<JsonNode> expected)
            throws Exception {
        List<Row> rows = scored.orderBy("id").collectAsList();
        assertEquals(texts.size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            int id = Integer.parseInt(row.getAs("id").toString());
            assertEquals(texts.get(id), row.getAs("text"));
            assertEquals(expected.get(id), JSON.readTree((String) row.getAs("prediction")), "row " + id);
        }
    }

    @Test
    void jsonLinesAndCsvFilesScoreAsTheScoreCommandDoes() throws Exception {
        List<String> texts = texts();
        assertTrue(texts.size() >= 5, "reference texts: " + texts.size());
        List<JsonNode> expected = scoreCommand(texts);

        Path jsonl = dir.resolve("records.jsonl");
        List<String> lines = new ArrayList<>();
        StringBuilder csv = new StringBuilder("id,text\n");
        for (int i = 0; i < texts.size(); i++) {
            lines.add(
                    JSON.writeValueAsString(JSON.createObjectNode().put("id", i).put("text", texts.get(i))));
            csv.append(i)
                    .append(",\"")
                    .append(texts.get(i).replace("\"", "\"\""))
                    .append("\"\n");
        }
        Files.write(jsonl, lines);
        Path csvFile = dir.resolve("records.csv");
        Files.writeString(csvFile, csv);

        InferaScorer scorer = new InferaScorer(MODELS.toString(), "tiny-bert-sentiment", "{}");
        Dataset<Row> fromJson = spark.read().json(jsonl.toString()).repartition(2);
        assertEquals(2, fromJson.rdd().getNumPartitions());
        assertAnswers(scorer.score(fromJson, "text", "prediction"), texts, expected);
        Dataset<Row> fromCsv = spark.read()
                .option("header", "true")
                .option("multiLine", "true")
                .option("escape", "\"")
                .csv(csvFile.toString())
                .repartition(2);
        assertAnswers(scorer.score(fromCsv, "text", "prediction"), texts, expected);
        assertEquals(
                1,
                ExecutorModels.loads(),
                "one load per executor (local mode: one JVM), shared by all partitions and jobs");
    }

    @Test
    void aRowThatFailsCarriesItsErrorAndTheJobGoesOn() throws Exception {
        Dataset<Row> frame =
                spark.sql("select 0 as id, 'a fine text' as text union all select 1, cast(null as string)");
        List<Row> rows = new InferaScorer(MODELS.toString(), "tiny-bert-sentiment", "{\"top_k\": 2}")
                .score(frame, "text", "prediction")
                .orderBy("id")
                .collectAsList();
        assertEquals(2, JSON.readTree((String) rows.get(0).getAs("prediction")).size());
        JsonNode error = JSON.readTree((String) rows.get(1).getAs("prediction")).path("error");
        assertEquals(400, error.path("status").asInt());
    }
}
