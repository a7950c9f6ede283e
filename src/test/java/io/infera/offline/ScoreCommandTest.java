package io.infera.offline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infera.testing.JsonMatch;
import io.infera.testing.ReferenceCase;
import io.infera.testing.TestModels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The score command on the tiny sentiment model: answers equal the pipeline references in input
 * order, records that fail are written in place and do not stop the run, a run cut short (even
 * mid-line) resumes to the same bytes as an uninterrupted one, CSV columns score as JSONL
 * records do, and bad usage says so.
 */
class ScoreCommandTest {

    private static final String MODEL = "tiny-bert-sentiment";

    @TempDir
    Path dir;

    private static List<ReferenceCase> sentimentCases() {
        return ReferenceCase.load("text-classification.json").stream()
                .filter(c -> c.model().equals(MODEL))
                .toList();
    }

    private int score(String... args) {
        List<String> all = new ArrayList<>(List.of("--model", MODEL, "--models-dir", TestModels.DIR.toString()));
        all.addAll(Arrays.asList(args));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ScoreCommand.run(all.toArray(String[]::new), new PrintStream(err, true, StandardCharsets.UTF_8));
        lastErr = err.toString(StandardCharsets.UTF_8);
        return status;
    }

    private String lastErr = "";

    private Path requests(List<ReferenceCase> cases, String... extraLines) throws Exception {
        List<String> lines = new ArrayList<>();
        for (ReferenceCase c : cases) {
            ObjectNode request = TestModels.JSON.createObjectNode();
            request.set("inputs", c.inputs());
            request.set("parameters", c.parameters());
            lines.add(TestModels.JSON.writeValueAsString(request));
        }
        lines.addAll(Arrays.asList(extraLines));
        Path input = dir.resolve("in.jsonl");
        Files.write(input, lines);
        return input;
    }

    @Test
    void answersEqualThePipelineInOrderAndFailuresStayInPlace() throws Exception {
        List<ReferenceCase> cases = sentimentCases();
        Path input = requests(
                cases,
                "not json",
                "{\"inputs\": \"fine\", \"parameters\": {\"top_k\": \"many\"}}",
                "{\"inputs\": \"after the errors\"}");
        Path output = dir.resolve("out.jsonl");
        assertEquals(0, score("--input", input.toString(), "--output", output.toString()));
        List<String> lines = Files.readAllLines(output);
        assertEquals(cases.size() + 3, lines.size());
        for (int i = 0; i < cases.size(); i++) {
            JsonMatch.assertMatches(
                    asList(cases.get(i).expected()), TestModels.JSON.readTree(lines.get(i)), JsonMatch.SCORE_TOLERANCE);
        }
        JsonNode notJson = TestModels.JSON.readTree(lines.get(cases.size()));
        assertEquals(400, notJson.path("error").path("status").asInt());
        assertTrue(notJson.path("error").path("detail").asText().contains("not JSON"));
        JsonNode badParameter = TestModels.JSON.readTree(lines.get(cases.size() + 1));
        assertEquals(
                "parameters.top_k", badParameter.path("error").path("field").asText());
        assertTrue(
                TestModels.JSON.readTree(lines.get(cases.size() + 2)).isArray(), "the run went on after the failures");
        assertTrue(lastErr.contains("2 errors"), lastErr);
    }

    /** The pipeline answers a text pair without top_k with a bare dict; Infera always answers a list. */
    private static JsonNode asList(JsonNode expected) {
        return expected.isObject() ? TestModels.JSON.createArrayNode().add(expected) : expected;
    }

    @Test
    void aRunCutShortResumesToTheSameBytes() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            lines.add("{\"inputs\": \"record number " + i + " says " + "good ".repeat(i % 7) + "\"}");
        }
        Path input = dir.resolve("many.jsonl");
        Files.write(input, lines);
        Path whole = dir.resolve("whole.jsonl");
        assertEquals(0, score("--input", input.toString(), "--output", whole.toString()));
        byte[] expected = Files.readAllBytes(whole);
        assertEquals(2000, Files.readAllLines(whole).size());

        // an earlier run that died after 700 lines, in the middle of the 701st
        List<String> written = Files.readAllLines(whole);
        Path resumed = dir.resolve("resumed.jsonl");
        String cut = String.join("\n", written.subList(0, 700)) + "\n"
                + written.get(700).substring(0, 10);
        Files.writeString(resumed, cut);
        assertEquals(0, score("--input", input.toString(), "--output", resumed.toString()));
        assertArrayEquals(expected, Files.readAllBytes(resumed));
        assertTrue(lastErr.contains("700 resumed"), lastErr);

        // a finished output is left as it is
        assertEquals(0, score("--input", input.toString(), "--output", resumed.toString()));
        assertArrayEquals(expected, Files.readAllBytes(resumed));
    }

    @Test
    void csvColumnsScoreAsJsonlRecords() throws Exception {
        Path csv = dir.resolve("in.csv");
        Files.writeString(csv, "id,text\n1,\"great, really great\"\n2,\"bad \"\"movie\"\"\"\n3,plain text\n");
        Path jsonl = dir.resolve("in.jsonl");
        Files.writeString(
                jsonl,
                "{\"inputs\": \"great, really great\"}\n{\"inputs\": \"bad \\\"movie\\\"\"}\n{\"inputs\": \"plain text\"}\n");
        Path fromCsv = dir.resolve("csv-out.jsonl");
        Path fromJsonl = dir.resolve("jsonl-out.jsonl");
        assertEquals(
                0,
                score(
                        "--input",
                        csv.toString(),
                        "--output",
                        fromCsv.toString(),
                        "--column",
                        "text",
                        "--parameters",
                        "{\"top_k\": 2}"));
        assertEquals(
                0,
                score("--input", jsonl.toString(), "--output", fromJsonl.toString(), "--parameters", "{\"top_k\": 2}"));
        assertEquals(Files.readAllLines(fromJsonl), Files.readAllLines(fromCsv));
        assertEquals(
                2,
                TestModels.JSON.readTree(Files.readAllLines(fromCsv).getFirst()).size());
    }

    @Test
    void badUsageIsExplained() throws Exception {
        assertEquals(2, score("--input", "x.csv", "--output", dir.resolve("o").toString()));
        assertTrue(lastErr.contains("--column"), lastErr);
        assertEquals(2, score("--output", dir.resolve("o").toString()));
        assertTrue(lastErr.contains("usage:"), lastErr);
        Path input = dir.resolve("in.jsonl");
        Files.writeString(input, "{\"inputs\": \"x\"}\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(
                1,
                ScoreCommand.run(
                        new String[] {
                            "--model",
                            "no-such-model",
                            "--models-dir",
                            TestModels.DIR.toString(),
                            "--input",
                            input.toString(),
                            "--output",
                            dir.resolve("o").toString()
                        },
                        new PrintStream(err, true, StandardCharsets.UTF_8)));
    }
}
