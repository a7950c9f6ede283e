package io.infera.testing;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Calls the predict endpoint of the running test server the ways a client does — a JSON body, a
 * raw file body, or a file base64-encoded in JSON beside parameters — and reads the 200 answer.
 */
public final class HttpPredict {

    private HttpPredict() {}

    /** {@code {"inputs": inputs, "parameters": parameters}} as JSON. */
    public static JsonNode json(String model, JsonNode inputs, JsonNode parameters) {
        ObjectNode body = TestModels.JSON.createObjectNode();
        body.set("inputs", inputs);
        if (parameters != null) {
            body.set("parameters", parameters);
        }
        return post(model, "application/json", body.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The file's bytes as the body, typed by its extension. */
    public static JsonNode file(String model, Path file) {
        return post(model, contentType(file), read(file));
    }

    /** The file base64-encoded as {@code inputs}, beside the parameters (which need a JSON body). */
    public static JsonNode fileWithParameters(String model, Path file, JsonNode parameters) {
        return json(
                model,
                TestModels.JSON.getNodeFactory().textNode(Base64.getEncoder().encodeToString(read(file))),
                parameters);
    }

    /** The raw body when there are no parameters, base64 in JSON otherwise: both doors of the route. */
    public static JsonNode fileOrJson(String model, Path file, JsonNode parameters) {
        return parameters == null || parameters.isEmpty()
                ? file(model, file)
                : fileWithParameters(model, file, parameters);
    }

    /** The media type a client would send for a test file. */
    public static String contentType(Path file) {
        String name = file.getFileName().toString();
        String extension = name.substring(name.lastIndexOf('.') + 1);
        return switch (extension) {
            case "jpg", "jpeg" -> "image/jpeg";
            case "png" -> "image/png";
            default -> "audio/" + extension;
        };
    }

    private static JsonNode post(String model, String contentType, byte[] body) {
        String answer = given().contentType(contentType)
                .body(body)
                .post("/v1/models/{m}/predict", model)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        try {
            return TestModels.JSON.readTree(answer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
