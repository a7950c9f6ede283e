package io.infera.batching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infera.runtime.Backend;
import io.infera.runtime.DataType;
import io.infera.runtime.Device;
import io.infera.runtime.OnnxBackend;
import io.infera.runtime.OnnxSessionSettings;
import io.infera.runtime.Tensor;
import io.infera.runtime.TensorSpec;
import io.infera.runtime.TorchScriptBackend;
import io.infera.runtime.TorchSettings;
import io.infera.testing.TestModels;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The dynamic batcher over the real runtimes: the same tiny BERT classifier as ONNX and as
 * TorchScript batches the same way, and a row's answer inside a padded batch equals its answer
 * run alone (within 1e-5).
 */
class BatchingOnEveryBackendTest {

    private static final List<TensorSpec> TEXT_INPUTS = Stream.of("input_ids", "token_type_ids", "attention_mask")
            .map(name -> new TensorSpec(name, DataType.INT64, new long[] {-1, -1}))
            .toList();

    static Stream<String> backends() {
        return Stream.of("onnx", "torchscript");
    }

    private static Backend open(String kind) throws Exception {
        return kind.equals("onnx")
                ? OnnxBackend.open(
                        TestModels.DIR.resolve("tiny-bert-sentiment/model.onnx"),
                        Device.CPU,
                        new OnnxSessionSettings(1, 1, false, OnnxSessionSettings.OptimizationLevel.ALL))
                : TorchScriptBackend.open(
                        TestModels.DIR.resolve("tiny-bert-sentiment-torchscript/model.pt"),
                        Device.CPU,
                        TEXT_INPUTS,
                        List.of(new TensorSpec("logits", DataType.FP32, new long[] {-1, 3})),
                        TorchSettings.DEFAULTS);
    }

    /** Holds the first run until released, so that what arrives meanwhile queues; records batch sizes. */
    private static final class Held implements Backend {
        private final Backend inner;
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());

        Held(Backend inner) {
            this.inner = inner;
        }

        @Override
        public Map<String, Tensor> run(Map<String, Tensor> inputs, List<String> outputs) {
            started.countDown();
            try {
                assertTrue(release.await(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            batchSizes.add(inputs.get("input_ids").dim(0));
            return inner.run(inputs, outputs);
        }

        @Override
        public List<TensorSpec> inputs() {
            return inner.inputs();
        }

        @Override
        public List<TensorSpec> outputs() {
            return inner.outputs();
        }

        @Override
        public String runtimeName() {
            return inner.runtimeName();
        }

        @Override
        public Device device() {
            return inner.device();
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    private static Row sentence(int seed, int length) {
        long[] ids = new long[length];
        long[] types = new long[length];
        long[] mask = new long[length];
        ids[0] = 2;
        for (int i = 1; i < length - 1; i++) {
            ids[i] = 5 + (seed * 31L + i * 17L) % 900;
        }
        ids[length - 1] = 3;
        java.util.Arrays.fill(mask, 1);
        return new Row(
                Map.of(
                        "input_ids",
                        Tensor.of(ids, length),
                        "token_type_ids",
                        Tensor.of(types, length),
                        "attention_mask",
                        Tensor.of(mask, length)),
                length);
    }

    private static float[] alone(Backend backend, Row row) {
        Map<String, Tensor> feeds = new java.util.HashMap<>();
        row.tensors().forEach((name, t) -> feeds.put(name, new Tensor(t.type(), new long[] {1, t.dim(0)}, t.data())));
        return backend.run(feeds, List.of()).get("logits").floats();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void rowsOfConcurrentRequestsShareBatchesAndAnswerAsAlone(String kind) throws Exception {
        try (Backend backend = open(kind)) {
            Held held = new Held(backend);
            BatchingPolicy policy = new BatchingPolicy(8, 0, 100, new int[0], 0, new int[] {16, 32}, 64);
            try (DynamicBatcher batcher =
                    new DynamicBatcher("parity", List.of(held), policy, Map.of(), BatchObserver.NONE)) {
                CompletableFuture<List<Map<String, Tensor>>> first =
                        batcher.submit(List.of(sentence(0, 9)), Scheduler.NO_DEADLINE);
                assertTrue(held.started.await(10, TimeUnit.SECONDS));
                List<List<Row>> requests = new ArrayList<>();
                List<CompletableFuture<List<Map<String, Tensor>>>> answers = new ArrayList<>();
                for (int i = 1; i <= 6; i++) {
                    List<Row> rows = List.of(sentence(i, 4 + i), sentence(100 + i, 14 - i));
                    requests.add(rows);
                    answers.add(batcher.submit(rows, Scheduler.NO_DEADLINE));
                }
                held.release.countDown();
                first.get(10, TimeUnit.SECONDS);
                for (int r = 0; r < requests.size(); r++) {
                    List<Map<String, Tensor>> out = answers.get(r).get(10, TimeUnit.SECONDS);
                    for (int i = 0; i < 2; i++) {
                        float[] expected = alone(backend, requests.get(r).get(i));
                        float[] actual = out.get(i).get("logits").floats();
                        for (int k = 0; k < expected.length; k++) {
                            assertEquals(expected[k], actual[k], 1e-5, kind + " request " + r + " row " + i);
                        }
                    }
                }
                assertEquals(List.of(1, 8, 4), held.batchSizes, kind + ": 12 queued rows, max batch 8");
            }
        }
    }
}
