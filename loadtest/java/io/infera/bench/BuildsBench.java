package io.infera.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Two builds of Infera side by side, each with no settings on the same models: the effect of one
 * change, measured in one run with rounds in alternating order. The loads are the ones a change to
 * the request path moves: one client on a tiny text classifier (latency added per request), and 32
 * clients on the bundled MiniLM (uniform 127-token texts, mixed lengths) and the fashion CNN (PNG bodies).
 *
 * <p>{@code -Dbench.builds=old/quarkus-app,new/quarkus-app} names the two packaged apps; an app may
 * carry server properties after {@code |}, so that one build can also be measured against itself
 * with other settings: {@code target/quarkus-app,target/quarkus-app|infera.batching.instances=2}.
 */
final class BuildsBench {

    private static final Path MODELS = Path.of("loadtest/builds-models");
    private static final int ROUNDS = 3;

    private final double seconds;
    private final Consumer<String> out;

    BuildsBench(double seconds, Consumer<String> out) {
        this.seconds = seconds;
        this.out = out;
    }

    private record Load(String name, String model, String contentType, List<byte[]> bodies, int clients) {}

    /** A packaged app and the server properties it runs with. */
    record Build(Path app, String[] properties) {
        static Build parse(String spec) {
            String[] parts = spec.strip().split("\\|");
            return new Build(Path.of(parts[0]), Arrays.copyOfRange(parts, 1, parts.length));
        }

        @Override
        public String toString() {
            return app + (properties.length == 0 ? "" : " " + String.join(" ", properties));
        }
    }

    void run(List<Build> apps) throws Exception {
        DefaultsBench.copyModels(Path.of("target/models"), MODELS, List.of("all-minilm-l6-v2", "fashion-mnist-cnn"));
        DefaultsBench.copyModels(Path.of("loadtest/models"), MODELS, List.of("tiny-bert"));
        Files.deleteIfExists(MODELS.resolve("tiny-bert/serving.yaml"));
        List<Load> loads = List.of(
                new Load(
                        "tiny text classifier, 1 client, p50 ms",
                        "tiny-bert",
                        "application/json",
                        List.of(Texts.body("I love this movie, it was wonderful!")),
                        1),
                new Load(
                        "MiniLM, uniform 127-token texts, 32 clients",
                        "all-minilm-l6-v2",
                        "application/json",
                        DefaultsBench.uniformWords(2048, 125, 3),
                        32),
                new Load(
                        "MiniLM, mixed lengths (70% 6-24 words, 20% 25-60, 10% 61-90), 32 clients",
                        "all-minilm-l6-v2", "application/json", DefaultsBench.mixedWords(2048, 11), 32),
                new Load(
                        "fashion CNN, 28x28 PNG bodies, 32 clients",
                        "fashion-mnist-cnn",
                        "image/png",
                        List.of(Files.readAllBytes(
                                Path.of("src/test/resources/images/fashion/test-00-ankle-boot.png"))),
                        32));
        Path results = Path.of("loadtest/results");
        HttpLoad.Result[][][] measured = new HttpLoad.Result[loads.size()][ROUNDS][2];
        try (Servers.Server a = Servers.infera(
                        apps.get(0).app(),
                        MODELS,
                        18095,
                        results.resolve("infera-build-a.log"),
                        apps.get(0).properties());
                Servers.Server b = Servers.infera(
                        apps.get(1).app(),
                        MODELS,
                        18096,
                        results.resolve("infera-build-b.log"),
                        apps.get(1).properties())) {
            List<Servers.Server> builds = List.of(a, b);
            for (int l = 0; l < loads.size(); l++) {
                for (Servers.Server server : builds) {
                    measure(server, loads.get(l), "warm-up");
                }
                for (int round = 0; round < ROUNDS; round++) {
                    for (int turn = 0; turn < 2; turn++) {
                        int who = (round + turn) % 2;
                        measured[l][round][who] = measure(builds.get(who), loads.get(l), "build " + who + " r" + round);
                    }
                }
            }
        }
        out.accept("");
        out.accept(
                "A: " + apps.get(0) + ", B: " + apps.get(1) + "; " + ROUNDS + " rounds in alternating order, medians.");
        out.accept("");
        out.accept(
                "| load | A items/s | A CPU ms/item | A p50 ms | B items/s | B CPU ms/item | B p50 ms | B/A items/s | B/A CPU per item |");
        out.accept("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (int l = 0; l < loads.size(); l++) {
            HttpLoad.Result[][] rounds = measured[l];
            double[] items = new double[2];
            double[] cpu = new double[2];
            double[] p50 = new double[2];
            for (int who = 0; who < 2; who++) {
                int w = who;
                items[who] = median(Arrays.stream(rounds)
                        .mapToDouble(r -> r[w].throughput())
                        .toArray());
                cpu[who] = median(Arrays.stream(rounds)
                        .mapToDouble(r -> r[w].serverCpuMsPerItem())
                        .toArray());
                p50[who] = median(
                        Arrays.stream(rounds).mapToDouble(r -> r[w].p50Ms()).toArray());
            }
            out.accept(String.format(
                    Locale.ROOT,
                    "| %s | %.1f | %.2f | %.2f | %.1f | %.2f | %.2f | %.2f | %.2f |",
                    loads.get(l).name(),
                    items[0],
                    cpu[0],
                    p50[0],
                    items[1],
                    cpu[1],
                    p50[1],
                    items[1] / items[0],
                    cpu[1] / cpu[0]));
        }
    }

    private HttpLoad.Result measure(Servers.Server server, Load load, String label) throws Exception {
        List<byte[]> bodies = load.bodies();
        return new HttpLoad(
                        server.uri("/v1/models/" + load.model() + "/predict"),
                        load.contentType(),
                        n -> bodies.get(n % bodies.size()),
                        server.pid())
                .closed(label, load.clients(), Math.max(1, seconds / 4), seconds);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    static List<Build> apps(String property) {
        List<Build> apps = new ArrayList<>();
        for (String app : property.split(",")) {
            apps.add(Build.parse(app));
        }
        if (apps.size() != 2) {
            throw new IllegalArgumentException("-Dbench.builds needs two packaged apps, comma-separated: " + property);
        }
        return apps;
    }
}
