package io.infera.runtime;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Converts between Infera tensors and ONNX Runtime's, copying primitive arrays without boxing. */
final class OnnxTensors {

    private OnnxTensors() {}

    static Optional<DataType> dataType(OnnxJavaType type) {
        return Optional.ofNullable(
                switch (type) {
                    case FLOAT -> DataType.FP32;
                    case DOUBLE -> DataType.FP64;
                    case FLOAT16 -> DataType.FP16;
                    case INT64 -> DataType.INT64;
                    case INT32 -> DataType.INT32;
                    case INT16 -> DataType.INT16;
                    case INT8 -> DataType.INT8;
                    case UINT8 -> DataType.UINT8;
                    case BOOL -> DataType.BOOL;
                    case STRING -> DataType.BYTES;
                    default -> null;
                });
    }

    static OnnxTensor toOnnx(OrtEnvironment env, Tensor tensor) throws OrtException {
        long[] shape = tensor.shape();
        return switch (tensor.type()) {
            case FP32 -> OnnxTensor.createTensor(env, FloatBuffer.wrap(tensor.floats()), shape);
            case FP64 -> OnnxTensor.createTensor(env, DoubleBuffer.wrap((double[]) tensor.data()), shape);
            case FP16 -> OnnxTensor.createTensor(env, ShortBuffer.wrap(tensor.shorts()), shape, OnnxJavaType.FLOAT16);
            case INT16 -> OnnxTensor.createTensor(env, ShortBuffer.wrap(tensor.shorts()), shape, OnnxJavaType.INT16);
            case INT64 -> OnnxTensor.createTensor(env, LongBuffer.wrap(tensor.longs()), shape);
            case INT32 -> OnnxTensor.createTensor(env, IntBuffer.wrap(tensor.ints()), shape);
            case INT8 ->
                OnnxTensor.createTensor(env, ByteBuffer.wrap((byte[]) tensor.data()), shape, OnnxJavaType.INT8);
            case UINT8 ->
                OnnxTensor.createTensor(env, ByteBuffer.wrap((byte[]) tensor.data()), shape, OnnxJavaType.UINT8);
            case BOOL ->
                OnnxTensor.createTensor(env, ByteBuffer.wrap(boolBytes(tensor.booleans())), shape, OnnxJavaType.BOOL);
            case BYTES -> OnnxTensor.createTensor(env, tensor.strings(), shape);
        };
    }

    static Tensor fromOnnx(OnnxTensor value) throws OrtException {
        TensorInfo info = value.getInfo();
        long[] shape = info.getShape();
        DataType type =
                dataType(info.type).orElseThrow(() -> new OrtException("unsupported output element type " + info.type));
        int n = Math.toIntExact(Tensor.elementCount(shape));
        Object data = switch (type) {
            case FP32 -> read(value.getFloatBuffer(), new float[n]);
            case FP64 -> read(value.getDoubleBuffer(), new double[n]);
            case FP16, INT16 -> read(value.getShortBuffer(), new short[n]);
            case INT64 -> read(value.getLongBuffer(), new long[n]);
            case INT32 -> read(value.getIntBuffer(), new int[n]);
            case INT8, UINT8 -> read(value.getByteBuffer(), new byte[n]);
            case BOOL -> booleans(read(value.getByteBuffer(), new byte[n]));
            case BYTES -> strings(value.getValue(), n);
        };
        return new Tensor(type, shape, data);
    }

    private static byte[] boolBytes(boolean[] values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) (values[i] ? 1 : 0);
        }
        return bytes;
    }

    private static boolean[] booleans(byte[] bytes) {
        boolean[] values = new boolean[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            values[i] = bytes[i] != 0;
        }
        return values;
    }

    private static float[] read(FloatBuffer buffer, float[] out) {
        buffer.get(out);
        return out;
    }

    private static double[] read(DoubleBuffer buffer, double[] out) {
        buffer.get(out);
        return out;
    }

    private static short[] read(ShortBuffer buffer, short[] out) {
        buffer.get(out);
        return out;
    }

    private static long[] read(LongBuffer buffer, long[] out) {
        buffer.get(out);
        return out;
    }

    private static int[] read(IntBuffer buffer, int[] out) {
        buffer.get(out);
        return out;
    }

    private static byte[] read(ByteBuffer buffer, byte[] out) {
        buffer.order(ByteOrder.nativeOrder()).get(out);
        return out;
    }

    /** ONNX Runtime hands string tensors back as nested arrays; flatten them row-major. */
    private static String[] strings(Object nested, int n) {
        List<String> flat = new ArrayList<>(n);
        flatten(nested, flat);
        return flat.toArray(String[]::new);
    }

    private static void flatten(Object value, List<String> out) {
        if (value instanceof String s) {
            out.add(s);
        } else {
            for (int i = 0; i < Array.getLength(value); i++) {
                flatten(Array.get(value, i), out);
            }
        }
    }
}
