package io.infera.runtime;

import java.lang.reflect.Array;
import java.util.Arrays;

/**
 * A dense row-major tensor: its element type, its shape and a primitive array with its elements.
 * The array is shared, not copied; callers treat a tensor as immutable once built.
 */
public record Tensor(DataType type, long[] shape, Object data) {

    public Tensor {
        if (!type.arrayClass().isInstance(data)) {
            throw new IllegalArgumentException(
                    type + " tensor needs a " + type.arrayClass().getSimpleName() + ", got "
                            + data.getClass().getSimpleName());
        }
        long expected = elementCount(shape);
        int actual = Array.getLength(data);
        if (expected != actual) {
            throw new IllegalArgumentException(
                    "shape " + Arrays.toString(shape) + " holds " + expected + " elements, data has " + actual);
        }
        shape = shape.clone();
    }

    public static Tensor of(float[] data, long... shape) {
        return new Tensor(DataType.FP32, shape, data);
    }

    public static Tensor of(long[] data, long... shape) {
        return new Tensor(DataType.INT64, shape, data);
    }

    public static Tensor of(int[] data, long... shape) {
        return new Tensor(DataType.INT32, shape, data);
    }

    public static Tensor of(boolean[] data, long... shape) {
        return new Tensor(DataType.BOOL, shape, data);
    }

    public static Tensor of(String[] data, long... shape) {
        return new Tensor(DataType.BYTES, shape, data);
    }

    /** Number of elements a tensor of this shape holds (1 for a scalar). */
    public static long elementCount(long[] shape) {
        long count = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            count = Math.multiplyExact(count, d);
        }
        return count;
    }

    public int elementCount() {
        return Array.getLength(data);
    }

    public int rank() {
        return shape.length;
    }

    /** The size of one axis as an int (tensors held in Java arrays never exceed int range). */
    public int dim(int axis) {
        return Math.toIntExact(shape[axis]);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public float[] floats() {
        return (float[]) as(DataType.FP32);
    }

    public long[] longs() {
        return (long[]) as(DataType.INT64);
    }

    public int[] ints() {
        return (int[]) as(DataType.INT32);
    }

    public boolean[] booleans() {
        return (boolean[]) as(DataType.BOOL);
    }

    public String[] strings() {
        return (String[]) as(DataType.BYTES);
    }

    /** FP16 bits or INT16 values. */
    public short[] shorts() {
        if (type != DataType.FP16 && type != DataType.INT16) {
            throw new IllegalStateException("tensor is " + type + ", not FP16 or INT16");
        }
        return (short[]) data;
    }

    /** The elements as floats whatever the numeric type, for postprocessing that does arithmetic. */
    public float[] toFloats() {
        int n = elementCount();
        float[] out = new float[n];
        switch (type) {
            case FP32 -> System.arraycopy(data, 0, out, 0, n);
            case FP64 -> {
                double[] d = (double[]) data;
                for (int i = 0; i < n; i++) out[i] = (float) d[i];
            }
            case FP16 -> {
                short[] d = (short[]) data;
                for (int i = 0; i < n; i++) out[i] = Float.float16ToFloat(d[i]);
            }
            case INT64 -> {
                long[] d = (long[]) data;
                for (int i = 0; i < n; i++) out[i] = d[i];
            }
            case INT32 -> {
                int[] d = (int[]) data;
                for (int i = 0; i < n; i++) out[i] = d[i];
            }
            case INT16 -> {
                short[] d = (short[]) data;
                for (int i = 0; i < n; i++) out[i] = d[i];
            }
            case INT8 -> {
                byte[] d = (byte[]) data;
                for (int i = 0; i < n; i++) out[i] = d[i];
            }
            case UINT8 -> {
                byte[] d = (byte[]) data;
                for (int i = 0; i < n; i++) out[i] = d[i] & 0xFF;
            }
            case BOOL -> {
                boolean[] d = (boolean[]) data;
                for (int i = 0; i < n; i++) out[i] = d[i] ? 1 : 0;
            }
            case BYTES -> throw new IllegalStateException("BYTES tensor has no numeric value");
        }
        return out;
    }

    private Object as(DataType expected) {
        if (type != expected) {
            throw new IllegalStateException("tensor is " + type + ", not " + expected);
        }
        return data;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t
                && type == t.type
                && Arrays.equals(shape, t.shape)
                && Arrays.deepEquals(new Object[] {data}, new Object[] {t.data});
    }

    @Override
    public int hashCode() {
        return 31 * type.hashCode() + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return "Tensor[" + type + " " + Arrays.toString(shape) + "]";
    }
}
