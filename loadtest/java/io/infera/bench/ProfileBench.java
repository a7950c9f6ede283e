package io.infera.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the server's time goes under each load whose target the bench reports: Infera recorded
 * with JDK Flight Recorder (its profile settings: Java and native method samples every 10-20 ms)
 * while closed-loop clients send the load. Prints the top frames (the method on top of each sampled
 * stack, native code counted at the Java method that called into it) and the share of samples per
 * thread group.
 */
final class ProfileBench {

    private static final Path MODELS = Path.of("loadtest/profile-models");
    private static final int TOP = 15;

    /**
     * A profiled load: the file its report goes to, the model (copied from {@code from}, with its
     * serving.yaml or, when {@code defaults}, without), the bodies and the clients sending them.
     */
    record Profile(
            String file,
            String title,
            Path from,
            String model,
            boolean defaults,
            String contentType,
            List<byte[]> bodies,
            int clients) {}

    private final double seconds;
    private final Consumer<String> out;

    ProfileBench(double seconds, Consumer<String> out) {
        this.seconds = seconds;
        this.out = out;
    }

    /** The loads behind the bench's targets: the out-of-the-box MiniLM and ResNet-50, the tuned bert-small, one client. */
    static List<Profile> profiles() throws Exception {
        Path bench = Path.of("loadtest/models");
        return List.of(
                new Profile(
                        "uniform-minilm",
                        "MiniLM uniform 127-token texts, defaults, 32 clients",
                        Path.of("target/models"),
                        "all-minilm-l6-v2",
                        true,
                        "application/json",
                        DefaultsBench.uniformWords(2048, 125, 3),
                        32),
                new Profile(
                        "bert-small",
                        "bert-small 128-token texts, the bench's serving.yaml, 32 clients",
                        bench,
                        "bert-small",
                        false,
                        "application/json",
                        List.of(Texts.body(Texts.ofWords(126, new java.util.Random(7)))),
                        32),
                new Profile(
                        "resnet-50",
                        "ResNet-50 on a 256x256 PNG photograph, defaults, 16 clients",
                        bench,
                        "resnet-50",
                        true,
                        "image/png",
                        List.of(BenchSuite.photo()),
                        16),
                new Profile(
                        "tiny-one-client",
                        "tiny text classifier (19 tokens), 1 client",
                        bench,
                        "tiny-bert",
                        false,
                        "application/json",
                        List.of(Texts.body("I love this movie, it was wonderful!")),
                        1));
    }

    void run(Profile profile) throws Exception {
        DefaultsBench.copyModels(profile.from(), MODELS, List.of(profile.model()));
        if (profile.defaults()) {
            Files.deleteIfExists(MODELS.resolve(profile.model()).resolve("serving.yaml"));
        }
        Path recording = Path.of("loadtest/results/" + profile.file() + ".jfr").toAbsolutePath();
        Files.deleteIfExists(recording);
        List<byte[]> bodies = profile.bodies();
        HttpLoad.Result result;
        java.time.Instant windowStart;
        java.time.Instant windowEnd;
        try (Servers.Server server = Servers.infera(
                Path.of("target/quarkus-app"),
                MODELS,
                18099,
                Path.of("loadtest/results/infera-profile.log"),
                List.of("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + recording))) {
            HttpLoad load = new HttpLoad(
                    server.uri("/v1/models/" + profile.model() + "/predict"),
                    profile.contentType(),
                    n -> bodies.get(n % bodies.size()),
                    server.pid());
            // the request path compiled as in a server that has served traffic
            load.closed("warm-up", Math.max(8, profile.clients()), 0, Math.max(4, seconds) * 2);
            windowStart = java.time.Instant.now();
            result = load.closed("profiled", profile.clients(), 0, seconds * 3);
            windowEnd = java.time.Instant.now();
        } finally {
            Files.walk(MODELS)
                    .sorted(java.util.Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        }
        Map<String, Integer> frames = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            String type = event.getEventType().getName();
            if (!type.equals("jdk.ExecutionSample") && !type.equals("jdk.NativeMethodSample")) {
                continue;
            }
            // only the measured window: not the start-up, the model load or the warm-up
            if (event.getStartTime().isBefore(windowStart)
                    || event.getStartTime().isAfter(windowEnd)
                    || event.getStackTrace() == null
                    || event.getStackTrace().getFrames().isEmpty()) {
                continue;
            }
            String thread = event.getThread("sampledThread") == null
                    ? "?"
                    : event.getThread("sampledThread").getJavaName();
            // idle threads parked in native waits are sampled too: count only threads doing work
            RecordedFrame top = event.getStackTrace().getFrames().getFirst();
            String method =
                    top.getMethod().getType().getName() + "." + top.getMethod().getName();
            if (type.equals("jdk.NativeMethodSample") && idle(method)) {
                continue;
            }
            samples++;
            frames.merge(method + (type.equals("jdk.NativeMethodSample") ? " (native)" : ""), 1, Integer::sum);
            threads.merge(group(thread), 1, Integer::sum);
        }
        out.accept("");
        out.accept(String.format(
                Locale.ROOT,
                "### Profile: %s, %.0f s after a warm-up (%.1f items/s, p50 %.2f ms, %.2f server CPU " + "ms/item)",
                profile.title(),
                seconds * 3,
                result.throughput(),
                result.p50Ms(),
                result.serverCpuMsPerItem()));
        out.accept("");
        out.accept(samples
                + " samples of threads at work (JFR's Java and native method samples; threads waiting in native "
                + "calls such as epoll, futex waits and socket reads left out). ONNX Runtime's own pool threads are not Java "
                + "threads and are not sampled: its run shows at the thread that called it. The recording: "
                + recording.getFileName() + ".");
        out.accept("");
        out.accept("| thread group | share of samples |");
        out.accept("|---|---:|");
        for (Map.Entry<String, Integer> e : sorted(threads).entrySet()) {
            out.accept(String.format(Locale.ROOT, "| %s | %.1f%% |", e.getKey(), 100.0 * e.getValue() / samples));
        }
        out.accept("");
        out.accept("| top frame | share of samples |");
        out.accept("|---|---:|");
        int shown = 0;
        for (Map.Entry<String, Integer> e : sorted(frames).entrySet()) {
            if (shown++ == TOP) {
                break;
            }
            out.accept(String.format(Locale.ROOT, "| `%s` | %.1f%% |", e.getKey(), 100.0 * e.getValue() / samples));
        }
    }

    private static boolean idle(String method) {
        return method.contains("epoll")
                || method.contains("EPoll")
                || method.contains("park")
                || method.contains("socketRead")
                || method.contains("accept")
                || method.contains("Object.wait")
                || method.contains("waitForReferencePendingList")
                || method.contains("Thread.sleep")
                || method.contains("poll");
    }

    /** Thread names without their numbers: the pools, not their members. */
    private static String group(String thread) {
        return thread.replaceAll("[-#]?\\d+$", "").replaceAll("-\\d+-", "-");
    }

    private static Map<String, Integer> sorted(Map<String, Integer> counts) {
        Map<String, Integer> sorted = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted((a, b) -> Integer.compare(b.getValue(), a.getValue()))
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }
}
