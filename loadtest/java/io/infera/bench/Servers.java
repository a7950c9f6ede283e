package io.infera.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The servers under test, each a separate process on loopback, started and stopped by the bench. */
final class Servers {

    private Servers() {}

    record Server(String name, Process process, int port) implements AutoCloseable {
        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port + path);
        }

        long pid() {
            return process.pid();
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor();
        }
    }

    /** Infera's packaged jar on the bench models; ready once every model has loaded and warmed up. */
    static Server infera(Path modelsDir, int port, Path log, String... properties) throws Exception {
        return infera(Path.of("target/quarkus-app"), modelsDir, port, log, properties);
    }

    /** A packaged app folder (a quarkus-app) on {@code modelsDir}: another build, for side-by-side runs. */
    static Server infera(Path app, Path modelsDir, int port, Path log, String... properties) throws Exception {
        return infera(app, modelsDir, port, log, List.of(), properties);
    }

    /** As above, with JVM options (a flight recording) before the jar. */
    static Server infera(Path app, Path modelsDir, int port, Path log, List<String> jvmOptions, String... properties)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "--add-opens",
                "java.base/java.lang=ALL-UNNAMED",
                "-Dquarkus.http.port=" + port,
                "-Dinfera.models-dir=" + modelsDir,
                "-Dinfera.load-threads=1"));
        command.addAll(jvmOptions);
        for (String property : properties) {
            command.add("-D" + property);
        }
        command.addAll(List.of("-jar", app.resolve("quarkus-run.jar").toString()));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Server server = new Server("infera", process, port);
        awaitOk(server, "/v2/health/ready", Duration.ofMinutes(10));
        return server;
    }

    /** The process's resident memory now and at its peak, in MiB, from /proc. */
    static long[] residentMiB(long pid) throws IOException {
        long rss = 0;
        long peak = 0;
        for (String line : java.nio.file.Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            } else if (line.startsWith("VmHWM:")) {
                peak = Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return new long[] {rss, peak};
    }

    /** The FastAPI + onnxruntime peer on one model folder; {@code taskAndWait}: its task and batching wait in ms, if not the defaults. */
    static Server peer(Path python, Path model, int port, Path log, String... taskAndWait) throws Exception {
        List<String> command = new ArrayList<>(
                List.of(python.toString(), "loadtest/peer/server.py", model.toString(), Integer.toString(port)));
        command.addAll(List.of(taskAndWait));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Server server = new Server("fastapi-peer", process, port);
        awaitOk(server, "/health", Duration.ofMinutes(2));
        return server;
    }

    private static void awaitOk(Server server, String path, Duration timeout) throws Exception {
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.process().isAlive()) {
                throw new IllegalStateException(
                        server.name() + " exited with " + server.process().exitValue());
            }
            try {
                HttpResponse<String> r = client.send(
                        HttpRequest.newBuilder(server.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(server.name() + " not ready after " + timeout);
    }
}
