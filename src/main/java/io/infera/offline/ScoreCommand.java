package io.infera.offline;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.infera.batching.BatchingPolicy;
import io.infera.errors.ModelLoadException;
import io.infera.generation.GenerationLimits;
import io.infera.registry.ModelDefaults;
import io.infera.registry.ModelLoader;
import io.infera.registry.ServedModel;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code score}: scores a file of records with one model, without the HTTP server — the model is
 * loaded by the same registry code and answers through the same pipeline and batcher, so each
 * output line equals what the HTTP route answers for that record.
 */
public final class ScoreCommand {

    /** Rows (or sequences) a scoring process may queue: more than any --in-flight window fills. */
    private static final int DEEP_QUEUE = 1 << 20;

    private ScoreCommand() {}

    /** @return the process exit status: 0 done (records that failed are in the output), 2 bad usage, 1 could not run */
    public static int run(String[] args, PrintStream err) {
        ObjectMapper json = new ObjectMapper();
        ScoreOptions options;
        try {
            options = ScoreOptions.parse(args, json);
        } catch (IllegalArgumentException e) {
            err.println("score: " + e.getMessage());
            err.println(ScoreOptions.USAGE);
            return 2;
        }
        int cores = Runtime.getRuntime().availableProcessors();
        ExecutorService workers = Executors.newFixedThreadPool(
                cores, Thread.ofPlatform().name("infera-score-", 0).daemon().factory());
        ServedModel model = null;
        try {
            model = new ModelLoader(defaults(), json)
                    .load(options.model(), options.modelsDir().resolve(options.model()));
            var pipeline = model.pipeline()
                    .orElseThrow(() -> new ModelLoadException(
                            "model '" + options.model() + "' has no task; the score command runs task models"));
            long total = RecordSource.count(options, json);
            try (ResumableOutput output = ResumableOutput.open(options.output());
                    RecordSource records = new RecordSource(options, json)) {
                for (long i = 0; i < output.done() && records.skipOne(); i++) {
                    // an earlier run wrote these
                }
                Progress progress = new Progress(err, total, Math.min(output.done(), total));
                new OfflineScorer(pipeline, json, workers, options.parameters(), options.inFlight())
                        .score(records, output, progress);
                progress.summary();
            }
            return 0;
        } catch (ModelLoadException e) {
            err.println("score: model '" + options.model() + "' cannot be loaded: " + e.getMessage());
            return 1;
        } catch (IOException | java.io.UncheckedIOException e) {
            err.println("score: " + e.getMessage());
            return 1;
        } finally {
            workers.shutdownNow();
            if (model != null) {
                model.close(Duration.ofSeconds(5));
            }
        }
    }

    /**
     * The standard defaults for a process that only scores (this command, a Spark executor): no
     * warm-up (throughput does not care about the first batch) and queues as deep as any
     * --in-flight window can fill.
     */
    public static ModelDefaults defaults() {
        ModelDefaults standard = ModelDefaults.standard();
        BatchingPolicy batching = standard.batching();
        GenerationLimits generation = standard.generation();
        return standard.withWarmup(false)
                .withBatching(new BatchingPolicy(
                        batching.maxBatchSize(),
                        batching.maxQueueDelayNanos(),
                        DEEP_QUEUE,
                        batching.preferredBatchSizes(),
                        batching.maxBatchTokens(),
                        batching.buckets(),
                        batching.reorderWindow()))
                .withGeneration(
                        new GenerationLimits(generation.maxSequences(), DEEP_QUEUE, generation.maxStepTokens()),
                        standard.maxNewTokens());
    }
}
