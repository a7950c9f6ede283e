package io.infera.api;

import io.infera.errors.InvalidInputException;
import io.infera.processing.image.ImageDecoder;
import io.infera.render.ResultPainter;
import io.infera.tasks.TaskInput;
import io.infera.tasks.TaskRequest;
import io.infera.tasks.TaskType;
import jakarta.ws.rs.core.Response;

/** {@code ?render=png}: the answer drawn on the request's picture instead of JSON. */
final class Rendering {

    private final ImageDecoder decoder;

    Rendering(long maxImagePixels) {
        this.decoder = new ImageDecoder(maxImagePixels);
    }

    /** Whether the request asks for a picture, refusing what cannot be drawn before anything runs. */
    static boolean requested(String render, TaskType task, TaskRequest request) {
        if (render == null) {
            return false;
        }
        if (!render.equals("png")) {
            throw new InvalidInputException("render", "the only rendering is png, got '" + render + "'");
        }
        if (!ResultPainter.draws(task)) {
            throw new InvalidInputException(
                    "render",
                    "pictures are drawn for image-classification, object-detection, "
                            + "image-segmentation and ocr, not " + task);
        }
        if (request.items().size() != 1) {
            throw new InvalidInputException(
                    "render", "one picture per request, got " + request.items().size() + " inputs");
        }
        return true;
    }

    Response png(TaskInput item, TaskType task, Object answer) {
        byte[] picture = ResultPainter.png(decoder.decode(item.bytes(), item.field()), task, answer);
        return Response.ok(picture, "image/png").build();
    }
}
