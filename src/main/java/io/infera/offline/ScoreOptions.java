package io.infera.offline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The score command's options.
 *
 * @param modelsDir  the model repository (--models-dir, else INFERA_MODELS_DIR, else models)
 * @param model      the model's folder name (--model)
 * @param input      JSONL or CSV records (--input; .csv means CSV)
 * @param output     one JSON line per input record, in input order (--output); resumed when it exists
 * @param column     the field (JSONL) or column (CSV) holding each record's input (--column); without it
 *                   a JSONL record is a request {"inputs", "parameters"}; a CSV file needs it
 * @param parameters parameters for every record (--parameters '{...}'); a JSONL request's own override them
 * @param inFlight   records submitted and not yet written (--in-flight); bounds memory and keeps the batcher busy
 */
record ScoreOptions(
        Path modelsDir,
        String model,
        Path input,
        Path output,
        Optional<String> column,
        JsonNode parameters,
        int inFlight) {

    static final String USAGE = """
            usage: java -jar target/quarkus-app/quarkus-run.jar score --model NAME --input IN.jsonl|IN.csv --output OUT.jsonl
                     [--column NAME] [--parameters JSON] [--models-dir DIR] [--in-flight N]
            Writes one JSON line per input record, in input order: the answer as the HTTP route gives it,
            or {"error": {...}} for a record that fails. Re-running with the same output resumes where it stopped.""";

    boolean csv() {
        return input.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".csv");
    }

    static ScoreOptions parse(String[] args, ObjectMapper json) {
        Path modelsDir =
                Path.of(Optional.ofNullable(System.getenv("INFERA_MODELS_DIR")).orElse("models"));
        String model = null;
        Path input = null;
        Path output = null;
        String column = null;
        JsonNode parameters = json.createObjectNode();
        int inFlight = 256;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--model" -> model = required(args[i], value);
                case "--input" -> input = Path.of(required(args[i], value));
                case "--output" -> output = Path.of(required(args[i], value));
                case "--column" -> column = required(args[i], value);
                case "--models-dir" -> modelsDir = Path.of(required(args[i], value));
                case "--in-flight" -> inFlight = Integer.parseInt(required(args[i], value));
                case "--parameters" -> {
                    try {
                        parameters = json.readTree(required(args[i], value));
                    } catch (java.io.IOException e) {
                        throw new IllegalArgumentException("--parameters is not JSON: " + e.getMessage());
                    }
                    if (!parameters.isObject()) {
                        throw new IllegalArgumentException("--parameters must be a JSON object");
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
            i++;
        }
        if (model == null || input == null || output == null) {
            throw new IllegalArgumentException("--model, --input and --output are required");
        }
        if (inFlight < 1) {
            throw new IllegalArgumentException("--in-flight must be at least 1");
        }
        ScoreOptions options =
                new ScoreOptions(modelsDir, model, input, output, Optional.ofNullable(column), parameters, inFlight);
        if (options.csv() && column == null) {
            throw new IllegalArgumentException("a CSV input needs --column naming the column to score");
        }
        return options;
    }

    private static String required(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }
}
