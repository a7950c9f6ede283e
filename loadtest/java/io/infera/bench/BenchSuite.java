package io.infera.bench;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.IntFunction;
import javax.imageio.ImageIO;

/**
 * The load-test bench, in one run on one machine, loopback only, bounded in time:
 * the raw ONNX Runtime ceiling, Infera with batching on and off (closed loop at 1/8/32/64 clients
 * and an open loop at a fixed rate), a FastAPI + onnxruntime peer on the same model and load,
 * bucketing against padding-to-longest on mixed-length traffic, BERT-base and ResNet-50, both
 * backends, and what the defaults give on the bundled models against the peer ({@link DefaultsBench}).
 * Prints one table of figures and ratios and writes it to loadtest/results/latest.md.
 *
 * <p>Run through loadtest/run.sh; -Dbench.seconds sets the length of each measurement.
 */
public final class BenchSuite {

    private static final Path MODELS = Path.of("loadtest/models");
    private static final Path RESULTS = Path.of("loadtest/results");
    private static final double SECONDS = Double.parseDouble(System.getProperty("bench.seconds", "8"));
    private static final double WARMUP = Math.max(1, SECONDS / 4);
    private static final int[] CLIENTS = {1, 8, 32, 64};

    private final StringBuilder report = new StringBuilder();

    public static void main(String[] args) throws Exception {
        Files.createDirectories(RESULTS);
        new BenchSuite().run();
    }

    private void run() throws Exception {
        if ("offline".equals(System.getProperty("bench.only"))) {
            offline();
            return;
        }
        if ("defaults".equals(System.getProperty("bench.only"))) {
            title("# Infera bench (defaults only)");
            List<String> summary = new DefaultsBench(SECONDS, this::line).run();
            section(
                    "Summary against the targets",
                    "| figure (median of the rounds) | measured | target |",
                    "|---|---:|---:|");
            summary.forEach(this::line);
            write(RESULTS.resolve("latest-defaults.md"));
            return;
        }
        if ("embeddings".equals(System.getProperty("bench.only"))) {
            title("# Infera bench (embeddings routes only)");
            List<String> summary = new EmbeddingsBench(SECONDS, this::line).run();
            section("Summary", "| figure (median of the rounds) | measured |", "|---|---:|");
            summary.forEach(this::line);
            write(RESULTS.resolve("latest-embeddings.md"));
            return;
        }
        if ("versions".equals(System.getProperty("bench.only"))) {
            title("# Infera bench (model versions: a slow shadow)");
            List<String> summary = new VersionsBench(SECONDS, this::line).run();
            section("Summary", "| figure (median of the rounds) | measured |", "|---|---:|");
            summary.forEach(this::line);
            write(RESULTS.resolve("latest-versions.md"));
            return;
        }
        if ("speech".equals(System.getProperty("bench.only"))) {
            title("# Infera bench (speech: clips and live streams)");
            List<String> summary = new SpeechBench(SECONDS, this::line).run();
            section("Summary", "| figure | measured |", "|---|---:|");
            summary.forEach(this::line);
            write(RESULTS.resolve("latest-speech.md"));
            return;
        }
        if ("builds".equals(System.getProperty("bench.only"))) {
            title("# Infera bench (two builds)");
            new BuildsBench(SECONDS, this::line).run(BuildsBench.apps(System.getProperty("bench.builds", "")));
            write(RESULTS.resolve("latest-builds.md"));
            return;
        }
        if ("profile".equals(System.getProperty("bench.only"))) {
            // kept in git beside the claims it supports (loadtest/results/ is not)
            Path profiles = Path.of("loadtest/profiles");
            Files.createDirectories(profiles);
            for (ProfileBench.Profile profile : ProfileBench.profiles()) {
                report.setLength(0);
                titleWithoutPoints("# Infera profile");
                new ProfileBench(SECONDS, this::line).run(profile);
                write(profiles.resolve(profile.file() + ".md"));
            }
            return;
        }
        if ("latency".equals(System.getProperty("bench.only"))) {
            title("# Infera bench (latency only)");
            String summary = new LatencyBench(SECONDS, this::line).run();
            section("Summary against the targets", "| figure | measured | target |", "|---|---:|---:|");
            line(summary);
            write(RESULTS.resolve("latest-latency.md"));
            return;
        }
        if ("backends".equals(System.getProperty("bench.only"))) {
            title("# Infera bench (backends only)");
            backends(Texts.body(Texts.ofWords(126, new Random(7)))).forEach(this::line);
            write(RESULTS.resolve("latest-backends.md"));
            return;
        }
        title("# Infera bench");
        String sentence = Texts.ofWords(126, new Random(7));
        long[] ids = Texts.ids(MODELS.resolve("bert-small/tokenizer.json"), sentence);
        line("");
        line("Text models: one sentence of " + ids.length + " tokens per request unless said otherwise.");

        // 1. The ceiling, measured before any server runs: one session on both cores, and two
        //    single-threaded sessions side by side (as the bench's Infera config runs them).
        Path smallModel = MODELS.resolve("bert-small/model.onnx");
        List<RawCeiling.Measurement> raw = new ArrayList<>();
        List<RawCeiling.Measurement> rawParallel = new ArrayList<>();
        try (RawCeiling ceiling = new RawCeiling(smallModel, 2, true)) {
            for (int batch : new int[] {1, 2, 4, 8, 16, 32, 64}) {
                raw.add(ceiling.text(batch, ids, Math.max(3, SECONDS / 2)));
            }
        }
        for (int batch : new int[] {1, 4, 8, 16}) {
            rawParallel.add(RawCeiling.parallelText(smallModel, 2, batch, ids, Math.max(3, SECONDS / 2)));
        }
        RawCeiling.Measurement best = java.util.stream.Stream.concat(raw.stream(), rawParallel.stream())
                .max((a, b) -> Double.compare(a.itemsPerSecond(), b.itemsPerSecond()))
                .orElseThrow();
        section(
                "Raw ONNX Runtime 1.29 (Java) in-process, bert-small (4 layers, hidden 256)",
                "| batch | 1 session x 2 threads: items/s | CPU ms/item | p50 ms/call | 2 sessions x 1 thread: items/s | CPU ms/item |",
                "|---:|---:|---:|---:|---:|---:|");
        for (RawCeiling.Measurement m : raw) {
            RawCeiling.Measurement p = rawParallel.stream()
                    .filter(x -> x.batch() == m.batch())
                    .findFirst()
                    .orElse(null);
            line(String.format(
                    Locale.ROOT,
                    "| %d | %.1f | %.2f | %.2f | %s | %s |",
                    m.batch(),
                    m.itemsPerSecond(),
                    m.cpuMsPerItem(),
                    m.p50Ms(),
                    p == null ? "" : String.format(Locale.ROOT, "%.1f", p.itemsPerSecond()),
                    p == null ? "" : String.format(Locale.ROOT, "%.2f", p.cpuMsPerItem())));
        }
        String pythonCeiling = PythonCeiling.measure(Path.of("fixtures/.venv/bin/python"), smallModel, 16, 128);
        line("");
        line("The peer's runtime, Python onnxruntime in-process at batch 16, 1 session x 2 threads: " + pythonCeiling
                + ".");

        byte[] fixedBody = Texts.body(sentence);
        List<byte[]> mixed = Texts.mixed(4096, 11);
        List<HttpLoad.Result> infera = new ArrayList<>();
        List<HttpLoad.Result> unbatched = new ArrayList<>();
        List<HttpLoad.Result> peer = new ArrayList<>();
        HttpLoad.Result openInfera;
        HttpLoad.Result openUnbatched;
        HttpLoad.Result openPeer;
        HttpLoad.Result bucketed;
        HttpLoad.Result padded;
        double openRate = Math.round(best.itemsPerSecond() * 0.5);
        List<String> heavy = new ArrayList<>();

        try (Servers.Server server = Servers.infera(MODELS, 18080, RESULTS.resolve("infera.log"))) {
            warmUp(server, List.of("bert-small", "bert-small-unbatched", "bert-small-nobuckets"), fixedBody);
            for (int c : CLIENTS) {
                infera.add(load(server, "bert-small", n -> fixedBody).closed("infera C=" + c, c, WARMUP, SECONDS));
                unbatched.add(load(server, "bert-small-unbatched", n -> fixedBody)
                        .closed("unbatched C=" + c, c, WARMUP, SECONDS));
            }
            openInfera = load(server, "bert-small", n -> fixedBody).open("infera open", openRate, SECONDS * 1.5);
            openUnbatched = load(server, "bert-small-unbatched", n -> fixedBody)
                    .open("unbatched open", openRate, SECONDS * 1.5);
            bucketed =
                    load(server, "bert-small", n -> mixed.get(n % mixed.size())).closed("buckets", 32, WARMUP, SECONDS);
            padded = load(server, "bert-small-nobuckets", n -> mixed.get(n % mixed.size()))
                    .closed("no buckets", 32, WARMUP, SECONDS);
            heavy.addAll(heavyModels(server, sentence));
        }
        try (Servers.Server server = Servers.peer(
                Path.of("fixtures/.venv/bin/python"),
                MODELS.resolve("bert-small"),
                18081,
                RESULTS.resolve("peer.log"))) {
            warmUp(server, List.of("bert-small"), fixedBody);
            for (int c : CLIENTS) {
                peer.add(load(server, "bert-small", n -> fixedBody).closed("peer C=" + c, c, WARMUP, SECONDS));
            }
            openPeer = load(server, "bert-small", n -> fixedBody).open("peer open", openRate, SECONDS * 1.5);
        }

        section(
                "HTTP, bert-small, closed loop (throughput items/s; latency p50/p95/p99 ms; server CPU ms/item)",
                "| clients | Infera batched | Infera unbatched | FastAPI peer | batched/unbatched | Infera/peer | Infera/raw ceiling |",
                "|---:|---|---|---|---:|---:|---:|");
        for (int i = 0; i < CLIENTS.length; i++) {
            HttpLoad.Result a = infera.get(i);
            HttpLoad.Result u = unbatched.get(i);
            HttpLoad.Result p = peer.get(i);
            line(String.format(
                    Locale.ROOT,
                    "| %d | %s | %s | %s | %.2f | %.2f | %.2f |",
                    CLIENTS[i],
                    cell(a),
                    cell(u),
                    cell(p),
                    a.throughput() / u.throughput(),
                    a.throughput() / p.throughput(),
                    a.throughput() / best.itemsPerSecond()));
        }
        section(
                "HTTP, bert-small, open loop at " + (int) openRate
                        + " requests/s (0.5 x ceiling), latency from intended send time",
                "| server | answered/s | errors | p50 ms | p95 ms | p99 ms | CPU ms/item |",
                "|---|---:|---:|---:|---:|---:|---:|");
        for (HttpLoad.Result r : List.of(openInfera, openUnbatched, openPeer)) {
            line(String.format(
                    Locale.ROOT,
                    "| %s | %.1f | %d | %.1f | %.1f | %.1f | %.2f |",
                    r.label(),
                    r.throughput(),
                    r.errors(),
                    r.p50Ms(),
                    r.p95Ms(),
                    r.p99Ms(),
                    r.serverCpuMsPerItem()));
        }
        section(
                "Mixed-length traffic (70% 8-32, 20% 33-128, 10% 129-256 tokens), 32 clients",
                "| batching | items/s | p50/p95/p99 ms | CPU ms/item |", "|---|---:|---|---:|");
        for (HttpLoad.Result r : List.of(bucketed, padded)) {
            line(String.format(
                    Locale.ROOT,
                    "| %s | %.1f | %.1f / %.1f / %.1f | %.2f |",
                    r.label(),
                    r.throughput(),
                    r.p50Ms(),
                    r.p95Ms(),
                    r.p99Ms(),
                    r.serverCpuMsPerItem()));
        }
        line(String.format(
                Locale.ROOT,
                "%nBuckets vs padding every batch to its longest item: %.2fx throughput.",
                bucketed.throughput() / padded.throughput()));
        heavy.forEach(this::line);
        backends(fixedBody).forEach(this::line);
        List<String> defaults = new DefaultsBench(SECONDS, this::line).run();
        String latency = new LatencyBench(SECONDS, this::line).run();

        HttpLoad.Result atBest = infera.stream()
                .max((a, b) -> Double.compare(a.throughput(), b.throughput()))
                .orElseThrow();
        HttpLoad.Result peerBest = peer.stream()
                .max((a, b) -> Double.compare(a.throughput(), b.throughput()))
                .orElseThrow();
        section("Summary against the targets", "| figure | measured | target |", "|---|---:|---:|");
        line(String.format(
                Locale.ROOT,
                "| raw ONNX Runtime (Java) ceiling, best configuration (batch %d) | %.1f items/s | — |",
                best.batch(),
                best.itemsPerSecond()));
        line(String.format(
                Locale.ROOT,
                "| Infera at saturation / raw ceiling | %.2f (%s) | >= 0.90 |",
                atBest.throughput() / best.itemsPerSecond(),
                atBest.label()));
        line(String.format(
                Locale.ROOT,
                "| Infera / FastAPI peer, best of each | %.2f | ~1.25 |",
                atBest.throughput() / peerBest.throughput()));
        line(String.format(
                Locale.ROOT,
                "| Infera p99 / peer p99 at their best | %.2f | <= 1 |",
                atBest.p99Ms() / peerBest.p99Ms()));
        line(String.format(
                Locale.ROOT,
                "| server CPU per item / raw CPU per item (best batch) | %.2f | <= 1.10 |",
                atBest.serverCpuMsPerItem() / best.cpuMsPerItem()));
        line(latency);
        defaults.forEach(this::line);
        Path out = RESULTS.resolve("latest.md");
        write(out);
    }

    private List<String> heavyModels(Servers.Server server, String sentence) throws Exception {
        List<String> lines = new ArrayList<>();
        byte[] png = photo();
        lines.add("");
        lines.add("### Larger models, 16 clients (items/s, p50/p95/p99 ms)");
        lines.add("");
        lines.add("| model | raw ceiling batch 1 / 8 / 32 | Infera batched | Infera unbatched | batched/unbatched |");
        lines.add("|---|---|---|---|---:|");
        for (String model : List.of("bert-base", "resnet-50")) {
            boolean image = model.startsWith("resnet");
            IntFunction<byte[]> body = image ? n -> png : n -> Texts.body(sentence);
            String contentType = image ? "image/png" : "application/json";
            HttpLoad.Result batched = new HttpLoad(
                            server.uri("/v1/models/" + model + "/predict"), contentType, body, server.pid())
                    .closed(model, 16, WARMUP, SECONDS);
            HttpLoad.Result single = new HttpLoad(
                            server.uri("/v1/models/" + model + "-unbatched/predict"), contentType, body, server.pid())
                    .closed(model + " unbatched", 16, WARMUP, SECONDS);
            StringBuilder ceilings = new StringBuilder();
            try (RawCeiling raw = new RawCeiling(MODELS.resolve(model + "/model.onnx"), 2, true)) {
                long[] ids = image ? null : Texts.ids(MODELS.resolve(model + "/tokenizer.json"), sentence);
                for (int batch : new int[] {1, 8, 32}) {
                    RawCeiling.Measurement m = image ? raw.image(batch, 3) : raw.text(batch, ids, 3);
                    ceilings.append(ceilings.isEmpty() ? "" : " / ")
                            .append(String.format(Locale.ROOT, "%.1f", m.itemsPerSecond()));
                }
            }
            lines.add(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %s | %.2f |",
                    model,
                    ceilings,
                    cell(batched),
                    cell(single),
                    batched.throughput() / single.throughput()));
        }
        return lines;
    }

    /**
     * The same bert-small as ONNX and as TorchScript, each alone in its own server process
     * (so that resident memory is the backend's), with the same layout: two instances, one thread each.
     */
    private List<String> backends(byte[] body) throws Exception {
        List<String> lines = new ArrayList<>(List.of(
                "",
                "### Backends: bert-small as ONNX and as TorchScript, each served alone",
                "",
                "Same weights, 2 instances x 1 intra-op thread, batching on; resident memory from /proc (after loading / peak).",
                "",
                "| backend | clients | items/s | p50 / p95 / p99 ms | server CPU ms/item | RSS loaded / peak MiB |",
                "|---|---:|---:|---|---:|---|"));
        Path backends = Path.of("loadtest/backends");
        for (String backend : List.of("onnx", "torchscript")) {
            String[] properties = {"infera.torchscript.intra-op-threads=1", "infera.torchscript.inter-op-threads=1"};
            try (Servers.Server server = Servers.infera(
                    backends.resolve(backend), 18082, RESULTS.resolve("infera-" + backend + ".log"), properties)) {
                long loaded = Servers.residentMiB(server.pid())[0];
                warmUp(server, List.of("bert-small"), body);
                for (int clients : new int[] {1, 8, 32}) {
                    HttpLoad.Result r = load(server, "bert-small", n -> body)
                            .closed(backend + " C=" + clients, clients, WARMUP, SECONDS);
                    long peak = Servers.residentMiB(server.pid())[1];
                    lines.add(String.format(
                            Locale.ROOT,
                            "| %s | %d | %.1f | %.1f / %.1f / %.1f | %.2f | %d / %d |",
                            backend,
                            clients,
                            r.throughput(),
                            r.p50Ms(),
                            r.p95Ms(),
                            r.p99Ms(),
                            r.serverCpuMsPerItem(),
                            loaded,
                            peak));
                }
            }
        }
        return lines;
    }

    /** A real photograph (scikit-image's astronaut, from the test resources) as PNG. */
    static byte[] photo() throws Exception {
        var image =
                ImageIO.read(Path.of("src/test/resources/images/astronaut.png").toFile());
        var scaled = new java.awt.image.BufferedImage(256, 256, java.awt.image.BufferedImage.TYPE_INT_RGB);
        scaled.getGraphics().drawImage(image.getScaledInstance(256, 256, java.awt.Image.SCALE_SMOOTH), 0, 0, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(scaled, "png", out);
        return out.toByteArray();
    }

    /**
     * Steady state before the first point: a fresh JVM spends seconds of CPU in the JIT compilers,
     * which would be charged to whichever point comes first. Each server gets the same treatment.
     */
    private static void warmUp(Servers.Server server, List<String> models, byte[] body) throws Exception {
        double seconds = Math.max(6, SECONDS * 1.5);
        for (String model : models) {
            load(server, model, n -> body).closed("warm-up " + model, 8, 0, seconds / models.size() * 2);
        }
    }

    private static HttpLoad load(Servers.Server server, String model, IntFunction<byte[]> bodies) {
        return new HttpLoad(server.uri("/v1/models/" + model + "/predict"), "application/json", bodies, server.pid());
    }

    private static String cell(HttpLoad.Result r) {
        return String.format(
                Locale.ROOT,
                "%.1f/s · %.1f/%.1f/%.1f ms · %.2f CPU ms%s",
                r.throughput(),
                r.p50Ms(),
                r.p95Ms(),
                r.p99Ms(),
                r.serverCpuMsPerItem(),
                r.errors() > 0 ? " · " + r.errors() + " errors" : "");
    }

    private void section(String title, String header, String rule) {
        line("");
        line("### " + title);
        line("");
        line(header);
        line(rule);
    }

    /**
     * The score command on a file of bert-small records (the 128-token sentence
     * of the ceiling, with a record number so no two are equal) against the raw in-process ceiling,
     * both measured in this run. The command's time includes loading the model.
     */
    private void offline() throws Exception {
        titleWithoutPoints("# Infera offline bench");
        String sentence = Texts.ofWords(124, new Random(7));
        long[] ids = Texts.ids(MODELS.resolve("bert-small/tokenizer.json"), sentence);
        Path smallModel = MODELS.resolve("bert-small/model.onnx");
        RawCeiling.Measurement best = null;
        try (RawCeiling ceiling = new RawCeiling(smallModel, 2, true)) {
            for (int batch : new int[] {8, 16, 32}) {
                RawCeiling.Measurement m = ceiling.text(batch, ids, Math.max(3, SECONDS / 2));
                best = best == null || m.itemsPerSecond() > best.itemsPerSecond() ? m : best;
            }
        }
        for (int batch : new int[] {8, 16}) {
            RawCeiling.Measurement m = RawCeiling.parallelText(smallModel, 2, batch, ids, Math.max(3, SECONDS / 2));
            best = m.itemsPerSecond() > best.itemsPerSecond() ? m : best;
        }
        int records = (int) Math.max(2000, best.itemsPerSecond() * SECONDS * 4);
        Path input = Files.createTempFile("infera-offline-", ".jsonl");
        Path output = Files.createTempFile("infera-offline-", ".out.jsonl");
        Files.delete(output);
        List<String> lines = new ArrayList<>(records);
        for (int i = 0; i < records; i++) {
            lines.add("{\"inputs\": \"" + i + " " + sentence + "\"}");
        }
        Files.write(input, lines);
        long start = System.nanoTime();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int status = io.infera.offline.ScoreCommand.run(
                new String[] {
                    "--model",
                    "bert-small",
                    "--models-dir",
                    MODELS.toString(),
                    "--input",
                    input.toString(),
                    "--output",
                    output.toString()
                },
                new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        double seconds = (System.nanoTime() - start) / 1e9;
        if (status != 0) {
            throw new IllegalStateException("score command failed: " + status + "\n" + err);
        }
        double rate = records / seconds;
        // the command's own summary times the scoring alone, after the model has loaded
        java.util.regex.Matcher summary =
                java.util.regex.Pattern.compile("in ([0-9.]+) s: ").matcher(err.toString());
        double scoring = summary.find() ? Double.parseDouble(summary.group(1)) : Double.NaN;
        section(
                "Offline scoring vs the raw ONNX Runtime ceiling, bert-small, " + ids.length + " tokens",
                "| figure | measured | target |",
                "|---|---|---|");
        line(String.format(
                Locale.ROOT,
                "| raw ceiling, best of 1x2 / 2x1 sessions at batch 8-32 | %.1f items/s (batch %d) | — |",
                best.itemsPerSecond(),
                best.batch()));
        line(String.format(
                Locale.ROOT,
                "| score command, %,d records, model load included | %.1f records/s | — |",
                records,
                rate));
        line(String.format(
                Locale.ROOT, "| score command, scoring alone (its summary) | %.1f records/s | — |", records / scoring));
        line(String.format(
                Locale.ROOT,
                "| score command / raw ceiling (load included; scoring alone) | %.2f; %.2f | >= 0.95 |",
                rate / best.itemsPerSecond(),
                records / scoring / best.itemsPerSecond()));
        write(RESULTS.resolve("latest-offline.md"));
        Files.deleteIfExists(input);
        Files.deleteIfExists(output);
    }

    /** The report's first line: what ran, when, on how many CPUs, and for how long per point. */
    private void title(String what) {
        titleWithoutPoints(what, ", " + SECONDS + " s per point");
    }

    private void titleWithoutPoints(String what) {
        titleWithoutPoints(what, "");
    }

    private void titleWithoutPoints(String what, String suffix) {
        line(what + ", "
                + LocalDateTime.now()
                        .format(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
                        .substring(0, 16) + ", " + Runtime.getRuntime().availableProcessors() + " CPUs" + suffix);
    }

    private void write(Path file) throws java.io.IOException {
        Files.writeString(file, report);
        System.out.println("\nwritten to " + file);
    }

    private void line(String text) {
        System.out.println(text);
        report.append(text).append('\n');
    }
}
