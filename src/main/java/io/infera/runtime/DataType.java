package io.infera.runtime;

import java.util.Arrays;
import java.util.Optional;

/**
 * Element types a tensor can hold, named as the Open Inference Protocol names them. Each type
 * fixes the primitive array that carries its elements, so tensors never box numbers.
 */
public enum DataType {
    FP32(float[].class, 4),
    FP64(double[].class, 8),
    /** IEEE 754 half precision, carried as its 16 raw bits. */
    FP16(short[].class, 2),
    INT64(long[].class, 8),
    INT32(int[].class, 4),
    INT16(short[].class, 2),
    INT8(byte[].class, 1),
    UINT8(byte[].class, 1),
    BOOL(boolean[].class, 1),
    /** Variable-length strings; the Open Inference Protocol calls them BYTES. */
    BYTES(String[].class, -1);

    private final Class<?> arrayClass;
    private final int byteSize;

    DataType(Class<?> arrayClass, int byteSize) {
        this.arrayClass = arrayClass;
        this.byteSize = byteSize;
    }

    /** The primitive array class that holds elements of this type. */
    public Class<?> arrayClass() {
        return arrayClass;
    }

    /** Bytes per element, or -1 for variable-length strings. */
    public int byteSize() {
        return byteSize;
    }

    public boolean isFloatingPoint() {
        return this == FP32 || this == FP64 || this == FP16;
    }

    /** The type for a protocol name such as {@code "FP32"}, if there is one. */
    public static Optional<DataType> fromName(String name) {
        return Arrays.stream(values()).filter(t -> t.name().equals(name)).findFirst();
    }

    /** A new zero-filled array of {@code length} elements of this type. */
    public Object newArray(int length) {
        return switch (this) {
            case FP32 -> new float[length];
            case FP64 -> new double[length];
            case FP16, INT16 -> new short[length];
            case INT64 -> new long[length];
            case INT32 -> new int[length];
            case INT8, UINT8 -> new byte[length];
            case BOOL -> new boolean[length];
            case BYTES -> {
                String[] strings = new String[length];
                Arrays.fill(strings, "");
                yield strings;
            }
        };
    }
}
