package io.infera.bench;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;

/**
 * What a slow shadow costs the answering version: the bundled package-topics serves as version 1
 * of a model whose version 2 is the bundled bge-small-en-v15-q (about 20 times its work per text);
 * 8 closed-loop clients send one 30-word text per request to the model; rounds alternate the policy
 * between no shadow and version 2 shadowing every request. Requests/s, p50/p99 latency and server
 * CPU per request of the answers, and how many copies the shadow answered or dropped.
 */
final class VersionsBench {

    private static final Path MODELS = Path.of("loadtest/versions-models");
    private static final String MODEL = "topics";
    private static final String TOKEN = "bench";
    private static final int CLIENTS = 8;
    private static final int ROUNDS = 3;
    private static final String NO_SHADOW = "{\"split\": {\"1\": 100}}";
    private static final String SHADOW = "{\"split\": {\"1\": 100}, \"shadow\": {\"version\": \"2\", \"sample\": 1.0}}";

    private final double seconds;
    private final Consumer<String> out;
    private final HttpClient http = HttpClient.newHttpClient();

    VersionsBench(double seconds, Consumer<String> out) {
        this.seconds = seconds;
        this.out = out;
    }

    List<String> run() throws Exception {
        Path one = MODELS.resolve(MODEL).resolve("1");
        Path two = MODELS.resolve(MODEL).resolve("2");
        copy(Path.of("target/models/package-topics"), one);
        copy(Path.of("target/models/bge-small-en-v15-q"), two);
        Files.deleteIfExists(one.resolve("serving.yaml"));
        Files.deleteIfExists(two.resolve("serving.yaml"));
        Files.writeString(MODELS.resolve(MODEL).resolve("serving.yaml"), "version_policy: {all: {}}\n");
        Random random = new Random(11);
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            bodies.add(("{\"inputs\": \"" + Texts.ofWords(30, random) + "\"}").getBytes(StandardCharsets.UTF_8));
        }
        List<HttpLoad.Result[]> rows = new ArrayList<>();
        List<double[]> copies = new ArrayList<>();
        try (Servers.Server infera = Servers.infera(
                MODELS,
                18096,
                Path.of("loadtest/results/infera-versions.log"),
                "infera.management.enabled=true",
                "infera.management.token=" + TOKEN)) {
            HttpLoad load = new HttpLoad(
                    infera.uri("/v1/models/" + MODEL + "/predict"),
                    "application/json",
                    n -> bodies.get(n % bodies.size()),
                    infera.pid());
            traffic(infera, SHADOW);
            load.closed("warm-up", CLIENTS, 1, Math.max(1, seconds / 4));
            for (int round = 0; round < ROUNDS; round++) {
                HttpLoad.Result[] row = new HttpLoad.Result[2];
                for (int turn = 0; turn < 2; turn++) {
                    int which = (round + turn) % 2;
                    traffic(infera, which == 0 ? NO_SHADOW : SHADOW);
                    double[] before = copies(infera);
                    row[which] = load.closed(
                            (which == 0 ? "no shadow" : "shadow") + " r" + round,
                            CLIENTS,
                            Math.max(1, seconds / 4),
                            seconds);
                    if (which == 1) {
                        double[] after = copies(infera);
                        copies.add(new double[] {after[0] - before[0], after[1] - before[1]});
                    }
                }
                rows.add(row);
            }
        }
        out.accept("");
        out.accept("### A slow shadow against none: package-topics answers, bge-small-en-v15-q shadows, " + CLIENTS
                + " clients, " + ROUNDS + " rounds in alternating order");
        out.accept("");
        out.accept(
                "| round | policy | requests/s | server CPU ms/request | p50 / p99 ms | shadow copies answered / dropped |");
        out.accept("|---:|---|---:|---:|---|---|");
        for (int round = 0; round < ROUNDS; round++) {
            for (int which = 0; which < 2; which++) {
                HttpLoad.Result r = rows.get(round)[which];
                out.accept(String.format(
                        Locale.ROOT,
                        "| %d | %s | %.1f | %.2f | %.1f / %.1f | %s |",
                        round + 1,
                        which == 0 ? "no shadow" : "shadow 100% to version 2",
                        r.throughput(),
                        r.serverCpuMsPerItem(),
                        r.p50Ms(),
                        r.p99Ms(),
                        which == 0
                                ? "-"
                                : String.format(
                                        Locale.ROOT, "%.0f / %.0f", copies.get(round)[0], copies.get(round)[1])));
            }
        }
        return List.of(
                String.format(
                        Locale.ROOT,
                        "| shadow / no shadow, p50 latency of the answers | %.2f |",
                        median(rows.stream()
                                .mapToDouble(r -> r[1].p50Ms() / r[0].p50Ms())
                                .toArray())),
                String.format(
                        Locale.ROOT,
                        "| shadow / no shadow, p99 latency of the answers | %.2f |",
                        median(rows.stream()
                                .mapToDouble(r -> r[1].p99Ms() / r[0].p99Ms())
                                .toArray())),
                String.format(
                        Locale.ROOT,
                        "| shadow / no shadow, requests/s | %.2f |",
                        median(rows.stream()
                                .mapToDouble(r -> r[1].throughput() / r[0].throughput())
                                .toArray())));
    }

    /** A bundled model folder as a version folder (files copied once; a rerun keeps them). */
    static void copy(Path from, Path to) throws java.io.IOException {
        if (!Files.isDirectory(from)) {
            throw new IllegalStateException(from + " is missing: the build assembles it (./infera mvn package)");
        }
        try (var files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else if (!Files.exists(target)) {
                    Files.copy(file, target);
                }
            }
        }
    }

    private void traffic(Servers.Server server, String policy) throws Exception {
        HttpResponse<String> answer = http.send(
                HttpRequest.newBuilder(server.uri("/v2/repository/models/" + MODEL + "/traffic"))
                        .header("Authorization", "Bearer " + TOKEN)
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(policy))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("traffic " + policy + ": " + answer.statusCode() + " " + answer.body());
        }
    }

    /** Shadow copies answered and dropped so far. */
    private double[] copies(Servers.Server server) throws Exception {
        String scrape = http.send(
                        HttpRequest.newBuilder(server.uri("/q/metrics")).GET().build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        double answered = 0;
        double dropped = 0;
        for (String line : scrape.split("\n")) {
            if (line.startsWith("infera_shadow_copies_total{") && line.contains("model=\"" + MODEL + "\"")) {
                double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                answered += line.contains("outcome=\"answered\"") ? value : 0;
                dropped += line.contains("outcome=\"dropped\"") ? value : 0;
            }
        }
        return new double[] {answered, dropped};
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
