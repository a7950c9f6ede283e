package io.infera.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;

/**
 * What a user gets out of the box: Infera started with no settings at all on the default models
 * (the bundled all-MiniLM-L6-v2 on the task route, the fashion CNN on raw PNG bodies) and on the
 * bench's ResNet-50 export (a 256x256 photograph as PNG), against the FastAPI peer on the same
 * files, 32 closed-loop clients, rounds in rotating order, beside the raw Java ONNX Runtime ceiling
 * of the same graph by batch size; on the uniform load also Infera with two sessions sharing the
 * cores, the layout the defaults do not take. All servers stay up for the whole run; only the one
 * under load works.
 */
final class DefaultsBench {

    private static final Path DEFAULT_MODELS = Path.of("target/models");
    private static final Path MODELS = Path.of("loadtest/defaults-models");
    private static final List<String> SERVED = List.of("all-minilm-l6-v2", "fashion-mnist-cnn");
    private static final Path BENCH_MODELS = Path.of("loadtest/models");
    private static final String RESNET = "resnet-50";
    private static final int CLIENTS = 32;
    private static final int ROUNDS = 3;
    /** The peer's batcher waits this long after a batch's first request, as a hand-written one would. */
    private static final String PEER_WAIT_MS = "5";

    private final double seconds;
    private final Consumer<String> out;

    DefaultsBench(double seconds, Consumer<String> out) {
        this.seconds = seconds;
        this.out = out;
    }

    /** One measured load: a name, its request bodies, their content type, and which model serves it. */
    private record Load(String name, String model, String contentType, List<byte[]> bodies) {}

    /**
     * Measures, prints its tables, and returns the rows it adds to the run's summary of the targets.
     */
    List<String> run() throws Exception {
        copyModels(DEFAULT_MODELS, MODELS, SERVED);
        // the bench's ResNet-50 served with the defaults: without the bench's serving.yaml
        copyModels(BENCH_MODELS, MODELS, List.of(RESNET));
        Files.deleteIfExists(MODELS.resolve(RESNET).resolve("serving.yaml"));
        Path minilm = MODELS.resolve("all-minilm-l6-v2");
        String uniform = Texts.ofWords(125, new Random(7));
        long[] ids = Texts.ids(minilm.resolve("tokenizer.json"), uniform);
        // the ceiling by batch size, one session on both cores: which batch is cheapest per item
        List<RawCeiling.Measurement> byBatch = new ArrayList<>();
        try (RawCeiling ceiling = new RawCeiling(minilm.resolve("model.onnx"), 2, false)) {
            for (int batch : new int[] {1, 4, 8, 16, 32}) {
                byBatch.add(ceiling.text(batch, ids, Math.max(3, seconds / 2)));
            }
        }
        RawCeiling.Measurement oneSession = byBatch.stream()
                .max((a, b) -> Double.compare(a.itemsPerSecond(), b.itemsPerSecond()))
                .orElseThrow();
        RawCeiling.Measurement twoSessions = RawCeiling.parallelText(
                minilm.resolve("model.onnx"), 2, oneSession.batch(), ids, Math.max(3, seconds / 2));
        RawCeiling.Measurement raw =
                oneSession.itemsPerSecond() >= twoSessions.itemsPerSecond() ? oneSession : twoSessions;

        List<Load> loads = List.of(
                new Load(
                        "MiniLM, uniform " + ids.length + "-token texts",
                        "all-minilm-l6-v2",
                        "application/json",
                        uniformWords(2048, 125, 3)),
                new Load(
                        "MiniLM, mixed lengths (70% 6-24 words, 20% 25-60, 10% 61-90)",
                        "all-minilm-l6-v2", "application/json", mixedWords(2048, 11)),
                new Load(
                        "fashion CNN, 28x28 PNG bodies",
                        "fashion-mnist-cnn",
                        "image/png",
                        List.of(Files.readAllBytes(
                                Path.of("src/test/resources/images/fashion/test-00-ankle-boot.png")))),
                new Load("ResNet-50, 256x256 PNG photograph", RESNET, "image/png", List.of(BenchSuite.photo())));
        Path results = Path.of("loadtest/results");
        Path python = Path.of("fixtures/.venv/bin/python");
        // per load and round: Infera's defaults, the peer, and (uniform load only) Infera with two
        // sessions sharing the cores
        List<HttpLoad.Result[]> rows = new ArrayList<>();
        try (Servers.Server infera = Servers.infera(MODELS, 18090, results.resolve("infera-defaults.log"));
                Servers.Server inferaTwoSessions = Servers.infera(
                        MODELS, 18093, results.resolve("infera-two-sessions.log"), "infera.batching.instances=2");
                Servers.Server text = Servers.peer(
                        python, minilm, 18091, results.resolve("peer-minilm.log"), "feature-extraction", PEER_WAIT_MS);
                Servers.Server images = Servers.peer(
                        python,
                        MODELS.resolve("fashion-mnist-cnn"),
                        18092,
                        results.resolve("peer-images.log"),
                        "image-classification",
                        PEER_WAIT_MS);
                Servers.Server photos = Servers.peer(
                        python,
                        MODELS.resolve(RESNET),
                        18094,
                        results.resolve("peer-resnet.log"),
                        "image-classification",
                        PEER_WAIT_MS)) {
            for (int l = 0; l < loads.size(); l++) {
                Load load = loads.get(l);
                Servers.Server peer = switch (load.model()) {
                    case "all-minilm-l6-v2" -> text;
                    case RESNET -> photos;
                    default -> images;
                };
                List<Servers.Server> contenders = new ArrayList<>(List.of(infera, peer));
                if (l == 0) {
                    contenders.add(inferaTwoSessions);
                }
                for (Servers.Server server : contenders) {
                    warm(server, load);
                }
                for (int round = 0; round < ROUNDS; round++) {
                    HttpLoad.Result[] row = new HttpLoad.Result[3];
                    for (int turn = 0; turn < contenders.size(); turn++) {
                        // each round starts with a different contender, so no one always runs first or last
                        int who = (round + turn) % contenders.size();
                        row[who] = measure(
                                contenders.get(who), load, contenders.get(who).name() + " r" + round);
                    }
                    rows.add(row);
                }
            }
        }

        out.accept("");
        out.accept("### Out of the box: Infera with no settings vs the FastAPI peer, " + CLIENTS + " clients, " + ROUNDS
                + " rounds in rotating order");
        out.accept("");
        StringBuilder curve = new StringBuilder();
        for (RawCeiling.Measurement m : byBatch) {
            curve.append(curve.isEmpty() ? "" : "; ")
                    .append(String.format(
                            Locale.ROOT,
                            "batch %d: %.1f items/s, %.2f CPU ms/item",
                            m.batch(),
                            m.itemsPerSecond(),
                            m.cpuMsPerItem()));
        }
        out.accept(String.format(
                Locale.ROOT,
                "Raw Java ONNX Runtime, MiniLM, %d tokens, 1 session x 2 threads: %s. "
                        + "At batch %d, 2 sessions x 1 thread: %.1f items/s, %.2f CPU ms/item.",
                ids.length,
                curve,
                twoSessions.batch(),
                twoSessions.itemsPerSecond(),
                twoSessions.cpuMsPerItem()));
        out.accept("");
        out.accept(
                "| load | round | Infera items/s | Infera CPU ms/item | peer items/s | peer CPU ms/item | Infera/peer | Infera p50/p99 ms "
                        + "| peer p50/p99 ms | Infera, 2 sessions sharing the cores: items/s, CPU ms/item |");
        out.accept("|---|---:|---:|---:|---:|---:|---:|---|---|---|");
        for (int i = 0; i < rows.size(); i++) {
            Load load = loads.get(i / ROUNDS);
            HttpLoad.Result ours = rows.get(i)[0];
            HttpLoad.Result theirs = rows.get(i)[1];
            HttpLoad.Result single = rows.get(i)[2];
            out.accept(String.format(
                    Locale.ROOT,
                    "| %s | %d | %.1f | %.2f | %.1f | %.2f | %.2f | %.0f / %.0f | %.0f / %.0f | %s |",
                    load.name(),
                    i % ROUNDS + 1,
                    ours.throughput(),
                    ours.serverCpuMsPerItem(),
                    theirs.throughput(),
                    theirs.serverCpuMsPerItem(),
                    ours.throughput() / theirs.throughput(),
                    ours.p50Ms(),
                    ours.p99Ms(),
                    theirs.p50Ms(),
                    theirs.p99Ms(),
                    single == null
                            ? ""
                            : String.format(
                                    Locale.ROOT, "%.1f, %.2f", single.throughput(), single.serverCpuMsPerItem())));
        }
        double uniformItems = median(rows.subList(0, ROUNDS).stream()
                .mapToDouble(r -> r[0].throughput())
                .toArray());
        double uniformCpu = median(rows.subList(0, ROUNDS).stream()
                .mapToDouble(r -> r[0].serverCpuMsPerItem())
                .toArray());
        String layout = (raw == oneSession ? "1 x 2 threads" : "2 x 1 thread") + ", batch " + raw.batch();
        List<String> summary = List.of(
                String.format(
                        Locale.ROOT,
                        "| defaults, MiniLM uniform: Infera / peer items/s | %.2f | >= 1.0 |",
                        medianRatio(rows.subList(0, ROUNDS))),
                String.format(
                        Locale.ROOT,
                        "| defaults, MiniLM uniform: Infera items/s / raw ceiling (%s) | %.2f | — |",
                        layout,
                        uniformItems / raw.itemsPerSecond()),
                String.format(
                        Locale.ROOT,
                        "| defaults, MiniLM uniform: server CPU per item / raw CPU per item (%s) | %.2f | <= 1.05 |",
                        layout,
                        uniformCpu / raw.cpuMsPerItem()),
                String.format(
                        Locale.ROOT,
                        "| defaults, MiniLM uniform: 1 session / 2 sessions sharing the cores, items/s | %.2f | — |",
                        median(rows.subList(0, ROUNDS).stream()
                                .mapToDouble(r -> r[0].throughput() / r[2].throughput())
                                .toArray())),
                String.format(
                        Locale.ROOT,
                        "| defaults, MiniLM mixed lengths: Infera / peer items/s | %.2f | >= 2.0 |",
                        medianRatio(rows.subList(ROUNDS, 2 * ROUNDS))),
                String.format(
                        Locale.ROOT,
                        "| defaults, fashion CNN PNG bodies: Infera / peer (Pillow) items/s | %.2f | >= 1.25 |",
                        medianRatio(rows.subList(2 * ROUNDS, 3 * ROUNDS))),
                String.format(
                        Locale.ROOT,
                        "| defaults, ResNet-50 PNG photograph: Infera / peer (Pillow) items/s | %.2f | >= 1.25 |",
                        medianRatio(rows.subList(3 * ROUNDS, 4 * ROUNDS))));
        return summary;
    }

    private HttpLoad.Result measure(Servers.Server server, Load load, String label) throws Exception {
        List<byte[]> bodies = load.bodies();
        return new HttpLoad(
                        server.uri("/v1/models/" + load.model() + "/predict"),
                        load.contentType(),
                        n -> bodies.get(n % bodies.size()),
                        server.pid())
                .closed(label, CLIENTS, Math.max(1, seconds / 4), seconds);
    }

    /** Until the JIT compilers (or Python's caches) settle, so that their CPU is charged to no point. */
    private void warm(Servers.Server server, Load load) throws Exception {
        measure(server, load, "warm-up");
    }

    /**
     * Model folders copied out of {@code from} (target/models, which the build assembles, or the
     * bench models) into {@code to}, so that a server started on {@code to} loads only them.
     */
    static void copyModels(Path from, Path to, List<String> models) throws IOException {
        for (String model : models) {
            Path source = from.resolve(model);
            if (!Files.isDirectory(source)) {
                throw new IllegalStateException(source + " is missing: the build assembles it (./infera mvn package)");
            }
            try (var files = Files.walk(source)) {
                for (Path file : files.toList()) {
                    Path target =
                            to.resolve(model).resolve(source.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(target);
                    } else if (!Files.exists(target) || Files.size(target) != Files.size(file)) {
                        Files.copy(file, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
    }

    /** Different texts of one length: every word is one token, so each is {@code words} + 2 tokens. */
    static List<byte[]> uniformWords(int count, int words, long seed) {
        Random random = new Random(seed);
        List<byte[]> bodies = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            bodies.add(Texts.body(Texts.ofWords(words, random)));
        }
        return bodies;
    }

    /** Texts whose lengths follow a search/chat mix, all under 128 tokens. */
    static List<byte[]> mixedWords(int count, long seed) {
        Random random = new Random(seed);
        List<byte[]> bodies = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            double p = random.nextDouble();
            int words = p < 0.7 ? 6 + random.nextInt(19) : p < 0.9 ? 25 + random.nextInt(36) : 61 + random.nextInt(30);
            bodies.add(Texts.body(Texts.ofWords(words, random)));
        }
        return bodies;
    }

    private static double medianRatio(List<HttpLoad.Result[]> rounds) {
        return median(rounds.stream()
                .mapToDouble(r -> r[0].throughput() / r[1].throughput())
                .toArray());
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
