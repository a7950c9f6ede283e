package io.infera.api.openai;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultipartFormTest {

    private static final String BODY = "--b\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nm\r\n"
            + "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n"
            + "Content-Type: audio/wav\r\n\r\nRIFF\r\n--b--\r\n";

    @Test
    void fieldsAndFilesAreReadFromTheWholeBody() {
        MultipartForm form =
                MultipartForm.read(BODY.getBytes(StandardCharsets.UTF_8), "multipart/form-data; boundary=b");
        assertEquals(List.of("m"), form.all("model"));
        assertEquals(1, form.files().size());
        assertEquals("file", form.files().getFirst().name());
        assertEquals("audio/wav", form.files().getFirst().contentType());
        assertArrayEquals(
                "RIFF".getBytes(StandardCharsets.UTF_8), form.files().getFirst().bytes());
    }

    @Test
    void aFormWithoutItsBoundaryOrNotAFormIsRefusedNotLeftWaiting() {
        byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
        assertThrows(IllegalArgumentException.class, () -> MultipartForm.read(body, "multipart/form-data"));
        assertThrows(IllegalArgumentException.class, () -> MultipartForm.read(body, "application/json"));
        assertThrows(IllegalArgumentException.class, () -> MultipartForm.read(body, null));
        try {
            MultipartForm cut = MultipartForm.read(
                    java.util.Arrays.copyOf(body, 60), "multipart/form-data; boundary=b"); // cut inside the first part
            assertEquals(List.of(), cut.files(), "a form cut short has no file");
        } catch (IllegalArgumentException refused) {
            // refused as malformed: as good, the route answers 400 either way
        }
    }
}
