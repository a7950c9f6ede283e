package io.infera.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * The playground is served at / with its assets, under a content security policy that lets it
 * load nothing but its own files and the user's blob:/data: media. (What it shows is tested in a
 * browser by PlaygroundIT.)
 */
@QuarkusTest
class PlaygroundPageTest {

    @Test
    void thePageAndItsScriptsAreServedUnderAStrictPolicy() {
        for (String path : new String[] {"/", "/playground/app.js", "/playground/style.css"}) {
            given().get(path)
                    .then()
                    .statusCode(200)
                    .header("Content-Security-Policy", containsString("default-src 'none'"))
                    .header("Content-Security-Policy", containsString("script-src 'self'"))
                    .header("Content-Security-Policy", containsString("connect-src 'self'"))
                    .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                    .header("X-Content-Type-Options", "nosniff");
        }
        given().get("/")
                .then()
                .contentType(containsString("text/html"))
                .body(containsString("Infera <span>playground</span>"));
        given().get("/playground/app.js").then().contentType(containsString("javascript"));
    }

    @Test
    void theApiIsNotUnderThePagesPolicy() {
        given().get("/v1/models").then().statusCode(200).header("Content-Security-Policy", nullValue());
    }
}
