package io.infera.api.openai;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.multipart.Attribute;
import io.netty.handler.codec.http.multipart.DefaultHttpDataFactory;
import io.netty.handler.codec.http.multipart.FileUpload;
import io.netty.handler.codec.http.multipart.HttpPostMultipartRequestDecoder;
import io.netty.handler.codec.http.multipart.InterfaceHttpData;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A multipart/form-data body, read whole from memory by Netty's decoder (the one Vert.x itself
 * uses, here on a body already held to the size limit): its text fields by name and its files. A
 * body that is not multipart, lacks its boundary or is cut short is refused as a malformed form,
 * never left waiting for parts that will not come.
 *
 * @param fields each text field's values, in the order sent
 * @param files  each file part
 */
record MultipartForm(Map<String, List<String>> fields, List<Part> files) {

    /** A file part: its field name, the client's content type and its bytes. */
    record Part(String name, String contentType, byte[] bytes) {}

    /** @throws IllegalArgumentException saying what is wrong with the form */
    static MultipartForm read(byte[] body, String contentType) {
        if (contentType == null
                || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")) {
            throw new IllegalArgumentException("the request is not a multipart/form-data form");
        }
        FullHttpRequest request =
                new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/", Unpooled.wrappedBuffer(body));
        request.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        HttpPostMultipartRequestDecoder decoder = null;
        try {
            decoder = new HttpPostMultipartRequestDecoder(new DefaultHttpDataFactory(false), request);
            Map<String, List<String>> fields = new LinkedHashMap<>();
            List<Part> files = new ArrayList<>();
            for (InterfaceHttpData data : decoder.getBodyHttpDatas()) {
                if (data instanceof FileUpload file) {
                    files.add(new Part(file.getName(), file.getContentType(), file.get()));
                } else if (data instanceof Attribute field) {
                    fields.computeIfAbsent(field.getName(), n -> new ArrayList<>())
                            .add(field.getValue());
                }
            }
            return new MultipartForm(fields, files);
        } catch (RuntimeException | IOException e) {
            // whatever the decoder makes of bytes the client sent (a missing boundary fails outside its
            // DecoderExceptions), the form is the client's to fix
            throw new IllegalArgumentException("the multipart form is malformed or cut short", e);
        } finally {
            if (decoder != null) {
                decoder.destroy();
            }
            request.release();
        }
    }

    List<String> all(String name) {
        return fields.getOrDefault(name, List.of());
    }
}
