package io.infera.api.v2;

import io.infera.errors.InvalidInputException;
import io.infera.runtime.DataType;
import io.infera.runtime.Tensor;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Tensor elements in the Open Inference Protocol's binary data extension: little-endian, row-major;
 * BOOL as one byte; BYTES as a 4-byte little-endian length followed by that many bytes per element.
 */
final class BinaryTensorData {

    private BinaryTensorData() {}

    /** Reads {@code size} bytes from {@code data} as {@code count} elements of {@code type}. */
    static Object read(ByteBuffer data, int size, DataType type, int count, String field) {
        if (size < 0 || size > data.remaining()) {
            throw new InvalidInputException(
                    field,
                    "binary_data_size " + size + " exceeds the " + data.remaining()
                            + " bytes of binary data left in the body");
        }
        ByteBuffer slice = data.slice(data.position(), size).order(ByteOrder.LITTLE_ENDIAN);
        data.position(data.position() + size);
        if (type != DataType.BYTES && (long) count * type.byteSize() != size) {
            throw new InvalidInputException(
                    field,
                    "binary_data_size " + size + " does not hold " + count + " " + type + " elements ("
                            + (long) count * type.byteSize() + " bytes)");
        }
        Object out = type.newArray(count);
        switch (type) {
            case FP32 -> slice.asFloatBuffer().get((float[]) out);
            case FP64 -> slice.asDoubleBuffer().get((double[]) out);
            case FP16, INT16 -> slice.asShortBuffer().get((short[]) out);
            case INT64 -> slice.asLongBuffer().get((long[]) out);
            case INT32 -> slice.asIntBuffer().get((int[]) out);
            case INT8, UINT8 -> slice.get((byte[]) out);
            case BOOL -> {
                boolean[] values = (boolean[]) out;
                for (int i = 0; i < count; i++) {
                    values[i] = slice.get() != 0;
                }
            }
            case BYTES -> readStrings(slice, (String[]) out, field);
        }
        return out;
    }

    private static void readStrings(ByteBuffer slice, String[] out, String field) {
        for (int i = 0; i < out.length; i++) {
            if (slice.remaining() < 4) {
                throw new InvalidInputException(field, "BYTES element " + i + " has no 4-byte length");
            }
            int length = slice.getInt();
            if (length < 0 || length > slice.remaining()) {
                throw new InvalidInputException(
                        field,
                        "BYTES element " + i + " declares " + length + " bytes, " + slice.remaining() + " are left");
            }
            byte[] bytes = new byte[length];
            slice.get(bytes);
            out[i] = new String(bytes, StandardCharsets.UTF_8);
        }
        if (slice.hasRemaining()) {
            throw new InvalidInputException(
                    field, slice.remaining() + " bytes left over after " + out.length + " BYTES elements");
        }
    }

    static byte[] write(Tensor tensor) {
        int n = tensor.elementCount();
        if (tensor.type() == DataType.BYTES) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (String s : tensor.strings()) {
                byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
                out.writeBytes(ByteBuffer.allocate(4)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .putInt(bytes.length)
                        .array());
                out.writeBytes(bytes);
            }
            return out.toByteArray();
        }
        ByteBuffer buffer = ByteBuffer.allocate(n * tensor.type().byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        switch (tensor.type()) {
            case FP32 -> buffer.asFloatBuffer().put(tensor.floats());
            case FP64 -> buffer.asDoubleBuffer().put((double[]) tensor.data());
            case FP16, INT16 -> buffer.asShortBuffer().put(tensor.shorts());
            case INT64 -> buffer.asLongBuffer().put(tensor.longs());
            case INT32 -> buffer.asIntBuffer().put(tensor.ints());
            case INT8, UINT8 -> buffer.put((byte[]) tensor.data());
            case BOOL -> {
                for (boolean b : tensor.booleans()) {
                    buffer.put((byte) (b ? 1 : 0));
                }
            }
            case BYTES -> throw new IllegalStateException("handled above");
        }
        return buffer.array();
    }
}
