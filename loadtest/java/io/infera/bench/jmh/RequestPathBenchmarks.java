package io.infera.bench.jmh;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.infera.batching.BatchCollator;
import io.infera.batching.Row;
import io.infera.processing.audio.AudioDecoder;
import io.infera.runtime.DataType;
import io.infera.runtime.Tensor;
import io.infera.runtime.TensorSpec;
import io.infera.tasks.EmbeddingSettings;
import io.infera.tasks.HfConfig;
import io.infera.tasks.ModelFiles;
import io.infera.tasks.Parameters;
import io.infera.tasks.PipelineObserver;
import io.infera.tasks.Preprocessed;
import io.infera.tasks.Task;
import io.infera.tasks.TaskContext;
import io.infera.tasks.TaskInput;
import io.infera.tasks.TaskSettings;
import io.infera.tasks.featureextraction.Embedding;
import io.infera.tasks.featureextraction.FeatureExtractionTask;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The request path outside the model, stage by stage, on the bundled all-MiniLM-L6-v2 and a batch
 * of 16 texts of 127 tokens (the uniform load of the HTTP bench): tokenizing one text, stacking 16
 * rows into batch tensors, splitting a batch's [16, 128, 384] output back into rows, pooling one
 * row, and writing 16 embeddings as JSON. A regression in any of them shows here without a load
 * test. Run with {@code BENCH_ONLY=jmh loadtest/run.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RequestPathBenchmarks {

    private static final Path MODEL = Path.of("target/models/all-minilm-l6-v2");
    private static final int BATCH = 16;
    private static final String[] WORDS = ("the of and to in is was for on that with as by at from his it an were are "
                    + "which this be or has had not but also have one their new first after who its they two been more her")
            .split(" ");

    private final ObjectMapper json = new ObjectMapper();
    private Task<Object, Object> task;
    private Object parameters;
    private TaskInput text;
    private List<Map<String, Tensor>> rows;
    private Map<String, Number> padValues;
    private Map<String, Tensor> batchOutput;
    private Object rowContext;
    private List<Map<String, Tensor>> rowOutput;
    private List<float[]> embeddings;

    @Setup
    @SuppressWarnings("unchecked")
    public void setUp() throws Exception {
        ModelFiles files = ModelFiles.unversioned(MODEL);
        // the tensors the export declares, written out: the benchmarks run without ONNX Runtime
        long[] ids = {-1, -1};
        List<TensorSpec> inputs = List.of(
                new TensorSpec("input_ids", DataType.INT64, ids),
                new TensorSpec("attention_mask", DataType.INT64, ids),
                new TensorSpec("token_type_ids", DataType.INT64, ids));
        List<TensorSpec> outputs =
                List.of(new TensorSpec("last_hidden_state", DataType.FP32, new long[] {-1, -1, 384}));
        TaskContext context = new TaskContext(
                "all-minilm-l6-v2",
                files,
                HfConfig.read(files, json),
                new TaskSettings(
                        Optional.empty(),
                        OptionalInt.of(256),
                        json.createObjectNode(),
                        40_000_000L,
                        Optional.empty(),
                        new AudioDecoder(600, Optional.empty()),
                        EmbeddingSettings.NONE,
                        256),
                inputs,
                outputs,
                json,
                PipelineObserver.NONE);
        task = (Task<Object, Object>) (Task<?, ?>) FeatureExtractionTask.create(context);
        parameters = task.parameters(Parameters.of(json.createObjectNode()));
        Random random = new Random(7);
        StringBuilder sentence = new StringBuilder();
        for (int i = 0; i < 125; i++) {
            sentence.append(i == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
        }
        text = new TaskInput.Json(TextNode.valueOf(sentence.toString()), "inputs");
        Preprocessed<Object> one = task.preprocess(text, parameters);
        rows = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
            rows.add(one.rows().getFirst().tensors());
        }
        padValues = task.padValues();
        Row row = one.rows().getFirst();
        float[] states = new float[BATCH * 128 * 384];
        for (int i = 0; i < states.length; i++) {
            states[i] = (float) random.nextGaussian();
        }
        batchOutput = Map.of("last_hidden_state", new Tensor(DataType.FP32, new long[] {BATCH, 128, 384}, states));
        rowContext = one.context();
        rowOutput = List.of(BatchCollator.split(batchOutput, BATCH).getFirst());
        embeddings = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
            embeddings.add(((Embedding) task.postprocess(rowContext, rowOutput, parameters)).pooled());
        }
        if (row.length() != 127) {
            throw new IllegalStateException("the bench text is " + row.length() + " tokens, expected 127");
        }
    }

    @TearDown
    public void tearDown() throws Exception {
        task.close();
    }

    /** Parameters and tokenizing of one 127-token text into its model row. */
    @Benchmark
    public Preprocessed<Object> tokenizeOneText() {
        return task.preprocess(text, task.parameters(Parameters.of(json.createObjectNode())));
    }

    /** Stacking 16 rows into the batch's input tensors. */
    @Benchmark
    public Map<String, Tensor> collateSixteenRows() {
        return BatchCollator.collate(rows, padValues);
    }

    /** Splitting a [16, 128, 384] output into 16 rows. */
    @Benchmark
    public List<Map<String, Tensor>> splitSixteenRows() {
        return BatchCollator.split(batchOutput, BATCH);
    }

    /** Mean pooling and normalising one row's token states. */
    @Benchmark
    public Object poolOneRow() {
        return task.postprocess(rowContext, rowOutput, parameters);
    }

    /** Writing 16 embeddings of 384 floats as a JSON answer. */
    @Benchmark
    public byte[] writeSixteenEmbeddings() throws Exception {
        return json.writeValueAsBytes(embeddings);
    }
}
