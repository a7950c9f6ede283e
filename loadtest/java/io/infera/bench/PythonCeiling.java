package io.infera.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The raw in-process ceiling of the peer's runtime (the Python onnxruntime wheel, a different
 * build and version than the Java binding), so that each server can be set against its own.
 */
final class PythonCeiling {

    private static final String SCRIPT = """
            import sys, time, numpy as np, onnxruntime as ort
            o = ort.SessionOptions(); o.intra_op_num_threads = 2; o.inter_op_num_threads = 1
            s = ort.InferenceSession(sys.argv[1], o, providers=["CPUExecutionProvider"])
            n, length = int(sys.argv[2]), int(sys.argv[3])
            ids = np.full((n, length), 1996, dtype=np.int64)
            feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.zeros_like(ids)}
            for _ in range(3): s.run(None, feeds)
            t, c, runs = time.time(), time.process_time(), 0
            while time.time() - t < 5: s.run(None, feeds); runs += 1
            e, cpu = time.time() - t, time.process_time() - c
            print(f"{runs * n / e:.1f} items/s, {cpu * 1000 / (runs * n):.2f} CPU ms/item (onnxruntime {ort.__version__})")
            """;

    private PythonCeiling() {}

    static String measure(Path python, Path model, int batch, int length) throws Exception {
        Process process = new ProcessBuilder(
                        python.toString(),
                        "-c",
                        SCRIPT,
                        model.toString(),
                        Integer.toString(batch),
                        Integer.toString(length))
                .redirectErrorStream(true)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        process.waitFor();
        return out.lines().reduce((a, b) -> b).orElse("not measured");
    }
}
