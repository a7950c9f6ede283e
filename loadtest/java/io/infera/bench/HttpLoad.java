package io.infera.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.HdrHistogram.Recorder;

/**
 * Load on an HTTP endpoint, loopback only. Closed loop: C clients, each sends its next request when
 * the last answered. Open loop: requests at a fixed rate whatever the answers do, latency measured
 * from each request's intended send time (no coordinated omission).
 */
final class HttpLoad {

    record Result(
            String label,
            double seconds,
            long ok,
            long errors,
            double throughput,
            double p50Ms,
            double p95Ms,
            double p99Ms,
            double serverCpuMsPerItem) {}

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final URI uri;
    private final String contentType;
    private final IntFunction<byte[]> bodies;
    private final long serverPid;

    /**
     * @param bodies    request body by request number (fixed or varied traffic)
     * @param serverPid the server process, whose CPU time is charged per answered request
     */
    HttpLoad(URI uri, String contentType, IntFunction<byte[]> bodies, long serverPid) {
        this.uri = uri;
        this.contentType = contentType;
        this.bodies = bodies;
        this.serverPid = serverPid;
    }

    private HttpRequest request(int n) {
        return HttpRequest.newBuilder(uri)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.apply(n)))
                .timeout(Duration.ofSeconds(60))
                .build();
    }

    Result closed(String label, int concurrency, double warmupSeconds, double seconds) throws Exception {
        runClosed(concurrency, warmupSeconds, new Recorder(3), new AtomicLong(), new AtomicLong());
        Recorder recorder = new Recorder(3);
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long cpu = ProcessCpu.nanos(serverPid);
        long start = System.nanoTime();
        runClosed(concurrency, seconds, recorder, ok, errors);
        return result(label, start, cpu, ok.get(), errors.get(), recorder);
    }

    private void runClosed(int concurrency, double seconds, Recorder recorder, AtomicLong ok, AtomicLong errors)
            throws InterruptedException {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        AtomicLong counter = new AtomicLong();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < concurrency; c++) {
            clients.add(Thread.ofVirtual().start(() -> {
                while (System.nanoTime() < end) {
                    long t = System.nanoTime();
                    send((int) counter.getAndIncrement(), t, recorder, ok, errors);
                }
            }));
        }
        for (Thread t : clients) {
            t.join();
        }
    }

    private void send(int n, long intended, Recorder recorder, AtomicLong ok, AtomicLong errors) {
        try {
            HttpResponse<byte[]> response = client.send(request(n), HttpResponse.BodyHandlers.ofByteArray());
            record(response.statusCode(), intended, recorder, ok, errors);
        } catch (Exception e) {
            errors.incrementAndGet();
        }
    }

    private static void record(int status, long intended, Recorder recorder, AtomicLong ok, AtomicLong errors) {
        if (status == 200) {
            recorder.recordValue(System.nanoTime() - intended);
            ok.incrementAndGet();
        } else {
            errors.incrementAndGet();
        }
    }

    Result open(String label, double ratePerSecond, double seconds) throws Exception {
        Recorder recorder = new Recorder(3);
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long cpu = ProcessCpu.nanos(serverPid);
        long start = System.nanoTime();
        long interval = (long) (1e9 / ratePerSecond);
        int total = (int) (ratePerSecond * seconds);
        List<CompletableFuture<?>> pending = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            long intended = start + i * interval;
            long wait = intended - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            pending.add(client.sendAsync(request(i), HttpResponse.BodyHandlers.ofByteArray())
                    .whenComplete((response, error) -> {
                        if (error != null) {
                            errors.incrementAndGet();
                        } else {
                            record(response.statusCode(), intended, recorder, ok, errors);
                        }
                    }));
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                .exceptionally(e -> null)
                .join();
        return result(label, start, cpu, ok.get(), errors.get(), recorder);
    }

    private Result result(String label, long start, long cpuStart, long ok, long errors, Recorder recorder) {
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuMs = (ProcessCpu.nanos(serverPid) - cpuStart) / 1e6;
        var histogram = recorder.getIntervalHistogram();
        return new Result(
                label,
                seconds,
                ok,
                errors,
                ok / seconds,
                histogram.getValueAtPercentile(50) / 1e6,
                histogram.getValueAtPercentile(95) / 1e6,
                histogram.getValueAtPercentile(99) / 1e6,
                ok == 0 ? 0 : cpuMs / ok);
    }
}
