package io.infera.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infera.testing.ServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS is a matter of configuration: a key store and a port, and the server speaks HTTPS. */
class TlsIT {

    @TempDir
    Path dir;

    @Test
    void servesHttpsWithTheConfiguredCertificate() throws Exception {
        Path keystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "infera",
                        "-keyalg",
                        "EC",
                        "-dname",
                        "CN=localhost",
                        "-ext",
                        "SAN=dns:localhost",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        keystore.toString(),
                        "-storepass",
                        "changeit")
                .inheritIO()
                .start();
        assertEquals(0, keytool.waitFor());
        try (ServerProcess server = ServerProcess.start(
                dir.resolve("no-models"),
                "quarkus.http.ssl.certificate.key-store-file=" + keystore,
                "quarkus.http.ssl.certificate.key-store-password=changeit",
                "quarkus.http.ssl-port=0")) {
            Matcher https = Pattern.compile("https://[^:]+:(\\d+)").matcher(server.log());
            assertTrue(https.find(), server.log());
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            try (var in = java.nio.file.Files.newInputStream(keystore)) {
                trusted.load(in, "changeit".toCharArray());
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, trust.getTrustManagers(), null);
            HttpClient client = HttpClient.newBuilder().sslContext(tls).build();
            HttpResponse<String> live = client.send(
                    HttpRequest.newBuilder(URI.create("https://localhost:" + https.group(1) + "/q/health/live"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, live.statusCode());
            X509Certificate certificate =
                    (X509Certificate) live.sslSession().orElseThrow().getPeerCertificates()[0];
            assertEquals("CN=localhost", certificate.getSubjectX500Principal().getName());
        }
    }
}
