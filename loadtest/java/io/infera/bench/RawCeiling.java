package io.infera.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.lang.management.ManagementFactory;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ceiling: ONNX Runtime called in-process on pre-built tensors, no tokenizer, no HTTP, no
 * batcher; items per second and process CPU per item at a given batch size.
 */
final class RawCeiling implements AutoCloseable {

    record Measurement(int batch, double itemsPerSecond, double cpuMsPerItem, double p50Ms) {}

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    RawCeiling(Path model, int threads, boolean spinning) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(threads);
        options.setInterOpNumThreads(1);
        options.addConfigEntry("session.intra_op.allow_spinning", spinning ? "1" : "0");
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        session = env.createSession(model.toString(), options);
    }

    /** Text models: [batch, tokens] ids of a real sentence with all three BERT inputs. */
    Measurement text(int batch, long[] ids, double seconds) throws OrtException {
        int length = ids.length;
        long[] batchIds = new long[batch * length];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(ids, 0, batchIds, b * length, length);
        }
        long[] ones = new long[batch * length];
        java.util.Arrays.fill(ones, 1);
        long[] shape = {batch, length};
        Map<String, OnnxTensor> feeds = new HashMap<>();
        feeds.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(batchIds), shape));
        feeds.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(ones), shape));
        feeds.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(new long[batch * length]), shape));
        return measure(batch, feeds, seconds);
    }

    /** Image models: [batch, 3, 224, 224] of noise. */
    Measurement image(int batch, double seconds) throws OrtException {
        float[] pixels = new float[batch * 3 * 224 * 224];
        java.util.Random random = new java.util.Random(1);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextGaussian();
        }
        Map<String, OnnxTensor> feeds = Map.of(
                "pixel_values",
                OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels), new long[] {batch, 3, 224, 224}));
        return measure(batch, feeds, seconds);
    }

    private Measurement measure(int batch, Map<String, OnnxTensor> feeds, double seconds) throws OrtException {
        for (int i = 0; i < 3; i++) {
            session.run(feeds).close();
        }
        org.HdrHistogram.Histogram latency = new org.HdrHistogram.Histogram(3);
        long cpuStart = processCpuNanos();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        int runs = 0;
        while (System.nanoTime() < end || runs < 3) {
            long t = System.nanoTime();
            session.run(feeds).close();
            latency.recordValue(System.nanoTime() - t);
            runs++;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        double cpuMs = (processCpuNanos() - cpuStart) / 1e6;
        for (OnnxTensor t : feeds.values()) {
            t.close();
        }
        int items = runs * batch;
        return new Measurement(batch, items / elapsed, cpuMs / items, latency.getValueAtPercentile(50) / 1e6);
    }

    /**
     * {@code sessions} single-threaded sessions side by side, each on its own thread, as Infera's
     * {@code instances} run them; items/s summed, CPU per item over the whole process.
     */
    static Measurement parallelText(Path model, int sessions, int batch, long[] ids, double seconds) throws Exception {
        List<RawCeiling> ceilings = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            ceilings.add(new RawCeiling(model, 1, false));
        }
        long cpuStart = processCpuNanos();
        long start = System.nanoTime();
        List<java.util.concurrent.Future<Measurement>> results = new ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(sessions)) {
            for (RawCeiling ceiling : ceilings) {
                results.add(pool.submit(() -> ceiling.text(batch, ids, seconds)));
            }
            double itemsPerSecond = 0;
            double p50 = 0;
            for (var r : results) {
                itemsPerSecond += r.get().itemsPerSecond();
                p50 = Math.max(p50, r.get().p50Ms());
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            double cpuMs = (processCpuNanos() - cpuStart) / 1e6;
            for (RawCeiling ceiling : ceilings) {
                ceiling.close();
            }
            return new Measurement(batch, itemsPerSecond, cpuMs / (itemsPerSecond * elapsed), p50);
        }
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
