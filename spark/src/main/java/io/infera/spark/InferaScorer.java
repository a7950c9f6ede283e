package io.infera.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infera.registry.ServedModel;
import io.infera.tasks.Pipeline;
import java.io.IOException;
import java.io.Serializable;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Scores a DataFrame column with an Infera model, with the same pipeline code as the server and
 * the score command: each executor loads the model once (the model folder must be readable at
 * the same path on every executor, e.g. shipped with {@code --files}/an archive or on shared
 * storage), and each partition's rows go through its batcher a chunk at a time. The answer of
 * each row is a JSON string in a new column (the HTTP route's JSON; {"error": ...} for a row that
 * fails).
 *
 * <pre>
 * spark-submit --class io.infera.spark.InferaScorer infera-spark.jar \
 *   --models-dir /models --model package-topics --input records.jsonl --column description --output scored.parquet
 * </pre>
 */
public final class InferaScorer implements Serializable {

    /** Rows of a partition in the batcher at once. */
    static final int CHUNK = 256;

    private final String modelsDir;
    private final String model;
    private final String parameters;

    /** @param parameters the task's parameters for every row, as JSON ({} for none) */
    public InferaScorer(String modelsDir, String model, String parameters) {
        this.modelsDir = modelsDir;
        this.model = model;
        this.parameters = parameters;
    }

    /** The frame with {@code outputColumn} (string, JSON) holding the answer for {@code column}. */
    public Dataset<Row> score(Dataset<Row> frame, String column, String outputColumn) {
        int index = frame.schema().fieldIndex(column);
        StructType schema = frame.schema().add(outputColumn, DataTypes.StringType, false);
        String dir = modelsDir;
        String name = model;
        String json = parameters;
        MapPartitionsFunction<Row, Row> scoring = rows -> {
            ServedModel served = ExecutorModels.get(dir, name);
            Pipeline pipeline =
                    served.pipeline().orElseThrow(() -> new IllegalStateException("model '" + name + "' has no task"));
            JsonNode common = new ObjectMapper().readTree(json);
            return new PartitionScorer(rows, pipeline, index, common, CHUNK);
        };
        return frame.mapPartitions(scoring, Encoders.row(schema));
    }

    /** spark-submit entry: reads JSON lines, CSV (with a header) or Parquet, writes Parquet or JSON lines by extension. */
    public static void main(String[] args) throws IOException {
        java.util.Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        for (String required : new String[] {"--models-dir", "--model", "--input", "--column", "--output"}) {
            if (!options.containsKey(required)) {
                System.err.println(
                        "usage: InferaScorer --models-dir DIR --model NAME --input FILE --column NAME --output FILE "
                                + "[--parameters JSON] [--output-column prediction]");
                System.exit(2);
            }
        }
        SparkSession spark = SparkSession.builder()
                .appName("infera-score " + options.get("--model"))
                .getOrCreate();
        String input = options.get("--input");
        Dataset<Row> frame = input.endsWith(".csv")
                ? spark.read().option("header", "true").csv(input)
                : input.endsWith(".parquet")
                        ? spark.read().parquet(input)
                        : spark.read().json(input);
        Dataset<Row> scored = new InferaScorer(
                        options.get("--models-dir"), options.get("--model"), options.getOrDefault("--parameters", "{}"))
                .score(frame, options.get("--column"), options.getOrDefault("--output-column", "prediction"));
        String output = options.get("--output");
        if (output.endsWith(".parquet")) {
            scored.write().parquet(output);
        } else {
            scored.write().json(output);
        }
        spark.stop();
    }
}
