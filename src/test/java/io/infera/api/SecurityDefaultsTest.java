package io.infera.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.infera.testing.TestServer;
import io.quarkus.test.junit.QuarkusTest;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a server started with no security settings does: the safe thing. */
@QuarkusTest
class SecurityDefaultsTest {

    @BeforeEach
    void ready() {
        TestServer.awaitReady();
    }

    @Test
    void managementRoutesAreOff() {
        given().post("/v2/repository/index").then().statusCode(404).contentType(Problem.MEDIA_TYPE);
        given().post("/v2/repository/models/tiny-vit/unload").then().statusCode(404);
        given().get("/v1/models/tiny-vit").then().statusCode(200).body("state", equalTo("READY"));
    }

    @Test
    void corsIsOff() {
        given().header("Origin", "https://elsewhere.example")
                .header("Access-Control-Request-Method", "POST")
                .options("/v1/models/tiny-vit/predict")
                .then()
                .header("Access-Control-Allow-Origin", nullValue());
        given().header("Origin", "https://elsewhere.example")
                .get("/v1/models")
                .then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void everyAnswerCarriesARequestId() {
        given().get("/v1/models").then().statusCode(200).header(RequestIds.HEADER, matchesPattern("[0-9a-f-]{36}"));
        given().header(RequestIds.HEADER, "trace-7")
                .get("/v1/models")
                .then()
                .header(RequestIds.HEADER, equalTo("trace-7"));
    }

    /** An image given as a URL is refused; the server never connects to it (no SSRF). */
    @Test
    void inputsAreNeverFetchedFromUrls() throws Exception {
        try (ServerSocket listener = new ServerSocket(0)) {
            listener.setSoTimeout(500);
            for (String url : new String[] {
                "http://127.0.0.1:" + listener.getLocalPort() + "/cat.png",
                "https://127.0.0.1:" + listener.getLocalPort() + "/cat.png"
            }) {
                given().contentType("application/json")
                        .body("{\"inputs\": \"" + url + "\"}")
                        .post("/v1/models/tiny-vit/predict")
                        .then()
                        .statusCode(400)
                        .body("field", equalTo("inputs"));
                given().contentType("application/json")
                        .body("{\"inputs\": \"" + url + "\"}")
                        .post("/v1/models/tiny-wav2vec2-audio/predict")
                        .then()
                        .statusCode(400);
            }
            assertThrows(SocketTimeoutException.class, listener::accept, "the server connected to the URL");
        }
    }
}
