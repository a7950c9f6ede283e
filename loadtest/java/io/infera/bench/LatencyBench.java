package io.infera.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one request costs beyond the model: the tiny classifier at one client against the same graph
 * called in-process, rounds alternating, and where the server's time per request goes, from its
 * own stage metrics (means over each measured point). The FastAPI peer answers the same requests
 * in the same rounds (batching wait 0, so that it does not hold a lone request back): what an HTTP
 * round trip with tokenizing costs a Python server on this machine.
 *
 * <p>The server is warmed up with 8 clients first: the request path is then compiled by the JIT as
 * in a server that has served traffic, which one client alone takes minutes to reach.
 */
final class LatencyBench {

    private static final Path MODELS = Path.of("loadtest/latency-models");
    private static final String MODEL = "tiny-bert";
    private static final String TEXT = "I love this movie, it was wonderful!";
    private static final int ROUNDS = 3;
    private static final List<String> STAGES = List.of("preprocess", "queue", "inference", "postprocess", "serialize");
    private static final Pattern SAMPLE = Pattern.compile(
            "^infera_(stage|request)_duration_seconds_(sum|count)\\{([^}]*)\\} ([0-9.eE+-]+)$", Pattern.MULTILINE);

    private final double seconds;
    private final Consumer<String> out;

    LatencyBench(double seconds, Consumer<String> out) {
        this.seconds = seconds;
        this.out = out;
    }

    /** Measures and prints its table; returns the summary row (added p50 and its target). */
    String run() throws Exception {
        DefaultsBench.copyModels(Path.of("loadtest/models"), MODELS, List.of(MODEL));
        long[] ids = Texts.ids(MODELS.resolve(MODEL).resolve("tokenizer.json"), TEXT);
        double[] raw = new double[ROUNDS];
        double[] served = new double[ROUNDS];
        double[] peer = new double[ROUNDS];
        Map<String, Double> stageMs = new HashMap<>();
        try (Servers.Server server = Servers.infera(MODELS, 18098, Path.of("loadtest/results/infera-latency.log"));
                Servers.Server python = Servers.peer(
                        Path.of("fixtures/.venv/bin/python"),
                        MODELS.resolve(MODEL),
                        18097,
                        Path.of("loadtest/results/peer-latency.log"),
                        "text-classification",
                        "0");
                RawCeiling ceiling = new RawCeiling(MODELS.resolve(MODEL).resolve("model.onnx"), 1, false)) {
            HttpLoad load = new HttpLoad(
                    server.uri("/v1/models/" + MODEL + "/predict"),
                    "application/json",
                    n -> Texts.body(TEXT),
                    server.pid());
            HttpLoad peerLoad = new HttpLoad(
                    python.uri("/v1/models/" + MODEL + "/predict"),
                    "application/json",
                    n -> Texts.body(TEXT),
                    python.pid());
            load.closed("warm-up", 8, 0, Math.max(4, seconds) * 2);
            load.closed("warm-up", 1, 0, Math.max(2, seconds / 2));
            peerLoad.closed("warm-up", 1, 0, Math.max(2, seconds / 2));
            ceiling.text(1, ids, 2);
            for (int round = 0; round < ROUNDS; round++) {
                // alternate which goes first, so that neither always follows the other
                if (round % 2 == 0) {
                    raw[round] = ceiling.text(1, ids, seconds / 2).p50Ms();
                    peer[round] = peerLoad.closed("peer C=1 r" + round, 1, 0.5, seconds / 2)
                            .p50Ms();
                }
                Map<String, double[]> before = scrape(server.uri("/q/metrics"));
                served[round] =
                        load.closed("tiny C=1 r" + round, 1, 0.5, seconds).p50Ms();
                Map<String, double[]> after = scrape(server.uri("/q/metrics"));
                for (String key : after.keySet()) {
                    double[] a = after.get(key);
                    double[] b = before.getOrDefault(key, new double[2]);
                    stageMs.merge(key, (a[0] - b[0]) / Math.max(1, a[1] - b[1]) * 1000 / ROUNDS, Double::sum);
                }
                if (round % 2 == 1) {
                    peer[round] = peerLoad.closed("peer C=1 r" + round, 1, 0.5, seconds / 2)
                            .p50Ms();
                    raw[round] = ceiling.text(1, ids, seconds / 2).p50Ms();
                }
            }
        }
        out.accept("");
        out.accept("### One request beyond the model: tiny classifier (" + ids.length + " tokens), 1 client");
        out.accept("");
        out.accept(
                "| round | raw in-process call p50 ms | Infera p50 ms | added ms | FastAPI peer p50 ms | peer added ms |");
        out.accept("|---:|---:|---:|---:|---:|---:|");
        for (int round = 0; round < ROUNDS; round++) {
            out.accept(String.format(
                    Locale.ROOT,
                    "| %d | %.3f | %.3f | %.3f | %.3f | %.3f |",
                    round + 1,
                    raw[round],
                    served[round],
                    served[round] - raw[round],
                    peer[round],
                    peer[round] - raw[round]));
        }
        double[] added = new double[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            added[round] = served[round] - raw[round];
        }
        Arrays.sort(added);
        out.accept("");
        StringBuilder stages = new StringBuilder();
        for (String stage : STAGES) {
            stages.append(String.format(Locale.ROOT, "%s %.3f, ", stage, stageMs.getOrDefault(stage, Double.NaN)));
        }
        double request = stageMs.getOrDefault("request", Double.NaN);
        double inside =
                STAGES.stream().mapToDouble(s -> stageMs.getOrDefault(s, 0.0)).sum();
        out.accept(String.format(
                Locale.ROOT,
                "Where the server's time per request goes (means, ms, from its stage metrics): %s"
                        + "hand-offs between them %.3f; handler total %.3f. The rest of the client's p50 (%.3f ms) is HTTP "
                        + "parsing and writing, the event loop and the client.",
                stages,
                request - inside,
                request,
                median(served) - request));
        return String.format(
                Locale.ROOT,
                "| p50 over a raw in-process call, tiny model, 1 client (median of %d rounds; the FastAPI "
                        + "peer: %.2f ms) | %.2f ms | < 0.5 ms |",
                ROUNDS,
                median(peer) - median(raw),
                added[ROUNDS / 2]);
    }

    /** Sum and count per stage (and "request") for the model, from the Prometheus text. */
    private static Map<String, double[]> scrape(URI metrics) throws Exception {
        String text = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString())
                .body();
        Map<String, double[]> sums = new HashMap<>();
        Matcher m = SAMPLE.matcher(text);
        while (m.find()) {
            String labels = m.group(3);
            if (!labels.contains("model=\"" + MODEL + "\"")) {
                continue;
            }
            Matcher stage = Pattern.compile("stage=\"([^\"]+)\"").matcher(labels);
            String key = m.group(1).equals("request") ? "request" : stage.find() ? stage.group(1) : null;
            if (key == null) {
                continue;
            }
            sums.computeIfAbsent(key, k -> new double[2])[m.group(2).equals("sum") ? 0 : 1] +=
                    Double.parseDouble(m.group(4));
        }
        return sums;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
