package io.infera.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.infera.errors.InvalidInputException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A JSON body must be UTF-8, field names included: anything else is a 400 on the body. */
class JsonBodyTest {

    @Test
    void validUtf8PassesAndEveryBrokenSequenceIsFound() {
        assertEquals(-1, JsonBody.firstInvalidUtf8("{\"a\": \"Zürich 中文 😀\"}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(2, JsonBody.firstInvalidUtf8(new byte[] {'{', '"', (byte) 0xFF, '"'}));
        assertEquals(0, JsonBody.firstInvalidUtf8(new byte[] {(byte) 0x80}));
        assertEquals(0, JsonBody.firstInvalidUtf8(new byte[] {(byte) 0xC3, 0x28}));
        assertEquals(0, JsonBody.firstInvalidUtf8(new byte[] {(byte) 0xC0, (byte) 0xAF})); // overlong '/'
        assertEquals(0, JsonBody.firstInvalidUtf8(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})); // surrogate
        assertEquals(0, JsonBody.firstInvalidUtf8(new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}));
        assertEquals(1, JsonBody.firstInvalidUtf8(new byte[] {'a', (byte) 0xE2, (byte) 0x82}));
    }

    @Test
    void aFieldNameWithBrokenUtf8IsRefused() {
        byte[] body = {'{', '"', (byte) 0x80, 'i', 'd', 's', '"', ':', '1', '}'};
        InvalidInputException refused =
                assertThrows(InvalidInputException.class, () -> JsonBody.read(new ObjectMapper(), body));
        assertEquals("body", refused.field());
    }
}
