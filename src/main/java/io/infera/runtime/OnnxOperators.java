package io.infera.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.TreeSet;

/**
 * The operator types an ONNX file's graph uses, read from the file itself: ONNX Runtime's Java API
 * shows a session's inputs and outputs, not its nodes. The protobuf is walked field by field and
 * only node records are decoded; initializers (the weights) are skipped by their length, so a
 * large model costs a scan of its structure, not a copy. Nodes inside subgraphs (If, Loop, Scan)
 * and inside model-local functions count too.
 */
public final class OnnxOperators {

    // Field numbers of onnx.proto3.
    private static final int MODEL_GRAPH = 7;
    private static final int MODEL_FUNCTIONS = 25;
    private static final int GRAPH_NODE = 1;
    private static final int FUNCTION_NODE = 7;
    private static final int NODE_OP_TYPE = 4;
    private static final int NODE_ATTRIBUTE = 5;
    private static final int ATTRIBUTE_GRAPH = 6;
    private static final int ATTRIBUTE_GRAPHS = 11;

    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LENGTH_DELIMITED = 2;
    private static final int FIXED32 = 5;

    private OnnxOperators() {}

    /**
     * @return the op_type of every node, sorted
     * @throws IOException when the file cannot be read or is not a well-formed protobuf
     */
    public static Set<String> of(Path model) throws IOException {
        try (FileChannel channel = FileChannel.open(model, StandardOpenOption.READ)) {
            ByteBuffer file = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
            Set<String> found = new TreeSet<>();
            scan(file, found);
            return found;
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new IOException("not a well-formed ONNX file: " + e.getMessage(), e);
        }
    }

    /** Reads operator types from ModelProto bytes (in memory). */
    static Set<String> of(byte[] model) {
        Set<String> found = new TreeSet<>();
        scan(ByteBuffer.wrap(model), found);
        return found;
    }

    private static void scan(ByteBuffer model, Set<String> found) {
        forEachField(model, (field, value) -> {
            if (field == MODEL_GRAPH) {
                graph(value, found, GRAPH_NODE);
            } else if (field == MODEL_FUNCTIONS) {
                graph(value, found, FUNCTION_NODE);
            }
        });
    }

    /** A GraphProto (nodes in field 1) or a FunctionProto (nodes in field 7). */
    private static void graph(ByteBuffer graph, Set<String> found, int nodeField) {
        forEachField(graph, (field, value) -> {
            if (field == nodeField) {
                node(value, found);
            }
        });
    }

    private static void node(ByteBuffer node, Set<String> found) {
        forEachField(node, (field, value) -> {
            if (field == NODE_OP_TYPE) {
                found.add(StandardCharsets.UTF_8.decode(value).toString());
            } else if (field == NODE_ATTRIBUTE) {
                forEachField(value, (attributeField, attributeValue) -> {
                    if (attributeField == ATTRIBUTE_GRAPH || attributeField == ATTRIBUTE_GRAPHS) {
                        graph(attributeValue, found, GRAPH_NODE);
                    }
                });
            }
        });
    }

    private interface FieldVisitor {
        /** A length-delimited field's number and its bytes (positioned at their start). */
        void visit(int field, ByteBuffer value);
    }

    /** Visits the length-delimited fields of one message; numbers and fixed-width fields are skipped. */
    private static void forEachField(ByteBuffer message, FieldVisitor visitor) {
        ByteBuffer in = message.duplicate();
        while (in.hasRemaining()) {
            long key = varint(in);
            int field = (int) (key >>> 3);
            switch ((int) (key & 7)) {
                case VARINT -> varint(in);
                case FIXED64 -> skip(in, 8);
                case FIXED32 -> skip(in, 4);
                case LENGTH_DELIMITED -> {
                    long length = varint(in);
                    if (length < 0 || length > in.remaining()) {
                        throw new IllegalArgumentException("field " + field + " runs past the end of its message");
                    }
                    ByteBuffer value = in.slice(in.position(), (int) length);
                    skip(in, (int) length);
                    visitor.visit(field, value);
                }
                default -> throw new IllegalArgumentException("unsupported protobuf wire type " + (key & 7));
            }
        }
    }

    private static void skip(ByteBuffer in, int bytes) {
        in.position(in.position() + bytes);
    }

    private static long varint(ByteBuffer in) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = in.get();
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("malformed varint");
    }
}
