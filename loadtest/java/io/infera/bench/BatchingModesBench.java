package io.infera.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infera.batching.BatchingPolicy;
import io.infera.generation.GenerationLimits;
import io.infera.processing.audio.AudioDecoder;
import io.infera.processing.text.Encoding;
import io.infera.processing.text.FastTokenizer;
import io.infera.processing.text.TokenizerSettings;
import io.infera.registry.ModelDefaults;
import io.infera.registry.ModelLoader;
import io.infera.registry.ServedModel;
import io.infera.runtime.Device;
import io.infera.runtime.OnnxSessionSettings;
import io.infera.runtime.TorchSettings;
import io.infera.tasks.TaskInput;
import java.lang.management.ManagementFactory;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the batching modes of graphs that cannot batch freely cost, measured on this machine, to
 * choose between them:
 * <ul>
 *   <li>a dynamically quantized embedder (the real e5-small-v2-q): every row alone, at its own
 *       length (what the server does), against each request's rows in one padded run (which keeps
 *       a request's answer independent of other requests, not of its own other rows);
 *   <li>a decoder without position_ids (tiny-gpt2-legacy): sequences at the same position sharing a
 *       step (what the server does) against one sequence per step, for prompts of one length and of
 *       different lengths.
 * </ul>
 * Rounds alternate the order; process CPU per item beside items per second.
 * Run: {@code loadtest/batching-modes.sh}.
 */
public final class BatchingModesBench {

    private static final String[] SENTENCES = {
        "query: how much protein should a female eat",
        "passage: As a general guideline, the CDC's average requirement of protein for women ages 19 to 70 is 46 grams per day.",
        "query: summit define",
        "passage: Definition of summit for English Language Learners: the highest point of a mountain, the top of a mountain.",
        "query: what is a cloud",
        "passage: a visible mass of condensed watery vapour floating in the atmosphere, typically high above the ground",
        "query: which runtime runs ONNX models on the CPU and on CUDA GPUs",
        "passage: cross-platform accelerated machine learning for inference and training, with a C API and bindings"
    };

    private BatchingModesBench() {}

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(System.getProperty("bench.rounds", "3"));
        double seconds = Double.parseDouble(System.getProperty("bench.seconds", "6"));
        StringBuilder report = new StringBuilder("| case | mode | items/s | CPU ms/item |\n|---|---|---|---|\n");
        Path e5 = Path.of("target/models/e5-small-v2-q");
        try (QuantizedRows rows = new QuantizedRows(e5)) {
            for (int round = 0; round < rounds; round++) {
                boolean separateFirst = round % 2 == 0;
                for (int k = 0; k < 2; k++) {
                    boolean separate = (k == 0) == separateFirst;
                    double[] m = rows.measure(separate, seconds);
                    report.append(String.format(
                            Locale.ROOT,
                            "| e5-small-v2-q, requests of 8 sentences (round %d) | %s | %.1f | %.2f |%n",
                            round + 1,
                            separate ? "rows-separately" : "one padded run per request",
                            m[0],
                            m[1]));
                }
            }
        }
        for (boolean sameLength : new boolean[] {true, false}) {
            for (int round = 0; round < rounds; round++) {
                boolean groupedFirst = round % 2 == 0;
                for (int k = 0; k < 2; k++) {
                    boolean grouped = (k == 0) == groupedFirst;
                    double[] m = generation(grouped, sameLength, seconds);
                    report.append(String.format(
                            Locale.ROOT,
                            "| tiny-gpt2-legacy, 8 prompts of %s (round %d) | %s | %.1f tokens/s | %.3f |%n",
                            sameLength ? "one length" : "different lengths",
                            round + 1,
                            grouped ? "continuous-same-position" : "one sequence per step",
                            m[0],
                            m[1]));
                }
            }
        }
        Path out = Path.of("loadtest/results/batching-modes-latest.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString());
        System.out.print(report);
    }

    /** Tokens per second and CPU ms per token of 8 concurrent greedy generations of 16 tokens, repeated for the time given. */
    private static double[] generation(boolean grouped, boolean sameLength, double seconds) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ModelDefaults defaults = new ModelDefaults(
                Device.CPU,
                new OnnxSessionSettings(2, 1, false, OnnxSessionSettings.OptimizationLevel.ALL),
                TorchSettings.DEFAULTS,
                new BatchingPolicy(8, 0, 256, new int[0], 0, new int[] {16, 32, 64, 128}, 64),
                1,
                false,
                40_000_000L,
                100_000,
                256,
                new AudioDecoder(600, Optional.empty()),
                new GenerationLimits(grouped ? 16 : 1, 64, 1024),
                256);
        try (ServedModel model = new ModelLoader(defaults, json)
                .load("tiny-gpt2-legacy", Path.of("src/test/resources/models/tiny-gpt2-legacy"))) {
            ObjectNode parameters =
                    json.createObjectNode().put("max_new_tokens", 16).put("do_sample", false);
            List<TaskInput> prompts = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String prompt =
                        sameLength ? "the quick brown fox number " + i : "the quick brown fox " + "jumps ".repeat(i);
                prompts.add(new TaskInput.Json(json.getNodeFactory().textNode(prompt), "inputs"));
            }
            model.pipeline().orElseThrow().predict(prompts, parameters, null).join(); // warm-up
            long cpu = processCpuNanos();
            long start = System.nanoTime();
            long tokens = 0;
            while (System.nanoTime() - start < seconds * 1e9) {
                List<CompletableFuture<List<Object>>> running = new ArrayList<>();
                for (TaskInput prompt : prompts) { // one request per prompt, all at once
                    running.add(model.pipeline().orElseThrow().predict(List.of(prompt), parameters, null));
                }
                running.forEach(CompletableFuture::join);
                tokens += 16L * prompts.size();
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            return new double[] {tokens / elapsed, (processCpuNanos() - cpu) / 1e6 / tokens};
        }
    }

    /** Raw ONNX Runtime runs of a quantized embedder: every row alone, or a request's rows padded into one run. */
    private static final class QuantizedRows implements AutoCloseable {
        private final OrtEnvironment env = OrtEnvironment.getEnvironment();
        private final OrtSession session;
        private final List<long[]> ids = new ArrayList<>();

        QuantizedRows(Path folder) throws Exception {
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(2);
            options.setInterOpNumThreads(1);
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            session = env.createSession(folder.resolve("model.onnx").toString(), options);
            TokenizerSettings settings = TokenizerSettings.read(
                    folder.resolve("tokenizer.json"), folder.resolve("tokenizer_config.json"), new ObjectMapper());
            try (FastTokenizer tokenizer = FastTokenizer.load(folder.resolve("tokenizer.json"), settings, 512)) {
                for (String sentence : SENTENCES) {
                    Encoding encoding = tokenizer.encode(sentence, null);
                    ids.add(encoding.ids());
                }
            }
        }

        /** Items per second and process CPU ms per item. */
        double[] measure(boolean separate, double seconds) throws Exception {
            run(separate); // warm-up
            long cpu = processCpuNanos();
            long start = System.nanoTime();
            long items = 0;
            while (System.nanoTime() - start < seconds * 1e9) {
                run(separate);
                items += ids.size();
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            return new double[] {items / elapsed, (processCpuNanos() - cpu) / 1e6 / items};
        }

        private void run(boolean separate) throws Exception {
            if (separate) {
                for (long[] row : ids) {
                    run(List.of(row));
                }
            } else {
                run(ids);
            }
        }

        private void run(List<long[]> rows) throws Exception {
            int longest = rows.stream().mapToInt(r -> r.length).max().orElse(1);
            long[] input = new long[rows.size() * longest];
            long[] mask = new long[rows.size() * longest];
            for (int r = 0; r < rows.size(); r++) {
                System.arraycopy(rows.get(r), 0, input, r * longest, rows.get(r).length);
                java.util.Arrays.fill(mask, r * longest, r * longest + rows.get(r).length, 1);
            }
            long[] shape = {rows.size(), longest};
            Map<String, OnnxTensor> feeds = new HashMap<>();
            feeds.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(input), shape));
            feeds.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
            feeds.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(new long[input.length]), shape));
            try (OrtSession.Result ignored = session.run(feeds)) {
                // the embeddings themselves are not needed: the run's cost is what is measured
            } finally {
                feeds.values().forEach(OnnxTensor::close);
            }
        }

        @Override
        public void close() throws Exception {
            session.close();
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
