package io.infera.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The OpenAI embeddings route against the predict route and the raw ONNX Runtime ceiling, on the
 * bundled all-MiniLM-L6-v2 with no settings: the same texts (8 per request, 125 words each) as
 * {@code {"inputs": [...]}} to the predict route and as {@code {"model", "input": [...]}} to
 * {@code /v1/embeddings} (float, and base64 as OpenAI's clients ask by default), 16 closed-loop
 * clients, rounds in rotating order; items/s and server CPU per item (text).
 */
final class EmbeddingsBench {

    private static final Path MODELS = Path.of("loadtest/embeddings-models");
    private static final String MODEL = "all-minilm-l6-v2";
    private static final int TEXTS_PER_REQUEST = 8;
    private static final int CLIENTS = 16;
    private static final int ROUNDS = 3;

    private final double seconds;
    private final Consumer<String> out;

    EmbeddingsBench(double seconds, Consumer<String> out) {
        this.seconds = seconds;
        this.out = out;
    }

    /** One way of asking: its route and its bodies. */
    private record Route(String name, String path, List<byte[]> bodies) {}

    List<String> run() throws Exception {
        DefaultsBench.copyModels(Path.of("target/models"), MODELS, List.of(MODEL));
        Path model = MODELS.resolve(MODEL);
        Random random = new Random(5);
        List<List<String>> requests = new ArrayList<>();
        for (int r = 0; r < 512; r++) {
            List<String> texts = new ArrayList<>();
            for (int t = 0; t < TEXTS_PER_REQUEST; t++) {
                texts.add(Texts.ofWords(125, random));
            }
            requests.add(texts);
        }
        long[] ids =
                Texts.ids(model.resolve("tokenizer.json"), requests.getFirst().getFirst());
        List<RawCeiling.Measurement> byBatch = new ArrayList<>();
        try (RawCeiling ceiling = new RawCeiling(model.resolve("model.onnx"), 2, false)) {
            for (int batch : new int[] {1, 4, 8, 16, 32}) {
                byBatch.add(ceiling.text(batch, ids, Math.max(3, seconds / 2)));
            }
        }
        RawCeiling.Measurement raw = byBatch.stream()
                .max((a, b) -> Double.compare(a.itemsPerSecond(), b.itemsPerSecond()))
                .orElseThrow();
        List<Route> routes = List.of(
                new Route("predict route", "/v1/models/" + MODEL + "/predict", bodies(requests, "{\"inputs\": ", "}")),
                new Route(
                        "/v1/embeddings, float",
                        "/v1/embeddings",
                        bodies(requests, "{\"model\": \"" + MODEL + "\", \"input\": ", "}")),
                new Route(
                        "/v1/embeddings, base64",
                        "/v1/embeddings",
                        bodies(
                                requests,
                                "{\"model\": \"" + MODEL + "\", \"input\": ",
                                ", \"encoding_format\": \"base64\"}")));
        List<HttpLoad.Result[]> rows = new ArrayList<>();
        try (Servers.Server infera = Servers.infera(MODELS, 18095, Path.of("loadtest/results/infera-embeddings.log"))) {
            for (Route route : routes) {
                measure(infera, route, "warm-up");
            }
            for (int round = 0; round < ROUNDS; round++) {
                HttpLoad.Result[] row = new HttpLoad.Result[routes.size()];
                for (int turn = 0; turn < routes.size(); turn++) {
                    int which = (round + turn) % routes.size();
                    row[which] =
                            measure(infera, routes.get(which), routes.get(which).name() + " r" + round);
                }
                rows.add(row);
            }
        }
        out.accept("");
        out.accept("### OpenAI embeddings vs the predict route vs the raw ceiling: MiniLM, " + TEXTS_PER_REQUEST
                + " texts of " + ids.length + " tokens per request, " + CLIENTS + " clients, " + ROUNDS
                + " rounds in rotating order");
        out.accept("");
        out.accept(String.format(
                Locale.ROOT,
                "Raw Java ONNX Runtime, 1 session x 2 threads, best batch (%d): %.1f items/s, %.2f CPU ms/item.",
                raw.batch(),
                raw.itemsPerSecond(),
                raw.cpuMsPerItem()));
        out.accept("");
        out.accept(
                "| round | route | texts/s | server CPU ms/text | / raw items/s | / raw CPU per item | p50 / p99 ms |");
        out.accept("|---:|---|---:|---:|---:|---:|---|");
        for (int round = 0; round < ROUNDS; round++) {
            for (int r = 0; r < routes.size(); r++) {
                HttpLoad.Result result = rows.get(round)[r];
                out.accept(String.format(
                        Locale.ROOT,
                        "| %d | %s | %.1f | %.2f | %.2f | %.2f | %.0f / %.0f |",
                        round + 1,
                        routes.get(r).name(),
                        texts(result),
                        cpuPerText(result),
                        texts(result) / raw.itemsPerSecond(),
                        cpuPerText(result) / raw.cpuMsPerItem(),
                        result.p50Ms(),
                        result.p99Ms()));
            }
        }
        List<String> summary = new ArrayList<>();
        for (int r = 1; r < routes.size(); r++) {
            int route = r;
            summary.add(String.format(
                    Locale.ROOT,
                    "| %s / predict route, texts/s (CPU per text) | %.2f (%.2f) |",
                    routes.get(r).name(),
                    median(rows.stream()
                            .mapToDouble(row -> texts(row[route]) / texts(row[0]))
                            .toArray()),
                    median(rows.stream()
                            .mapToDouble(row -> cpuPerText(row[route]) / cpuPerText(row[0]))
                            .toArray())));
        }
        summary.add(String.format(
                Locale.ROOT,
                "| predict route / raw ceiling, texts/s (CPU per text) | %.2f (%.2f) |",
                median(rows.stream()
                        .mapToDouble(row -> texts(row[0]) / raw.itemsPerSecond())
                        .toArray()),
                median(rows.stream()
                        .mapToDouble(row -> cpuPerText(row[0]) / raw.cpuMsPerItem())
                        .toArray())));
        return summary;
    }

    private static double texts(HttpLoad.Result result) {
        return result.throughput() * TEXTS_PER_REQUEST;
    }

    private static double cpuPerText(HttpLoad.Result result) {
        return result.serverCpuMsPerItem() / TEXTS_PER_REQUEST;
    }

    private static List<byte[]> bodies(List<List<String>> requests, String head, String tail) {
        List<byte[]> bodies = new ArrayList<>();
        for (List<String> texts : requests) {
            StringBuilder list = new StringBuilder("[");
            for (String text : texts) {
                list.append(list.length() == 1 ? "" : ", ")
                        .append('"')
                        .append(text)
                        .append('"');
            }
            bodies.add((head + list + "]" + tail).getBytes(StandardCharsets.UTF_8));
        }
        return bodies;
    }

    private HttpLoad.Result measure(Servers.Server server, Route route, String label) throws Exception {
        List<byte[]> bodies = route.bodies();
        return new HttpLoad(
                        server.uri(route.path()), "application/json", n -> bodies.get(n % bodies.size()), server.pid())
                .closed(label, CLIENTS, Math.max(1, seconds / 4), seconds);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
