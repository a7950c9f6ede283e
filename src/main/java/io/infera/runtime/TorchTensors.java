package io.infera.runtime;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * Copies between {@link Tensor}s and libtorch tensors through one direct buffer each way, with
 * bulk primitive copies: no element is boxed.
 */
final class TorchTensors {

    private TorchTensors() {}

    /** The libtorch element type of a tensor type; BYTES (strings) has none. */
    static Optional<ai.djl.ndarray.types.DataType> torchType(DataType type) {
        return Optional.ofNullable(
                switch (type) {
                    case FP32 -> ai.djl.ndarray.types.DataType.FLOAT32;
                    case FP64 -> ai.djl.ndarray.types.DataType.FLOAT64;
                    case FP16 -> ai.djl.ndarray.types.DataType.FLOAT16;
                    case INT64 -> ai.djl.ndarray.types.DataType.INT64;
                    case INT32 -> ai.djl.ndarray.types.DataType.INT32;
                    case INT16 -> ai.djl.ndarray.types.DataType.INT16;
                    case INT8 -> ai.djl.ndarray.types.DataType.INT8;
                    case UINT8 -> ai.djl.ndarray.types.DataType.UINT8;
                    case BOOL -> ai.djl.ndarray.types.DataType.BOOLEAN;
                    case BYTES -> null;
                });
    }

    /** The tensor type of a libtorch element type, if Infera carries it. */
    static Optional<DataType> dataType(ai.djl.ndarray.types.DataType type) {
        return Optional.ofNullable(
                switch (type) {
                    case FLOAT32 -> DataType.FP32;
                    case FLOAT64 -> DataType.FP64;
                    case FLOAT16 -> DataType.FP16;
                    case INT64 -> DataType.INT64;
                    case INT32 -> DataType.INT32;
                    case INT16 -> DataType.INT16;
                    case INT8 -> DataType.INT8;
                    case UINT8 -> DataType.UINT8;
                    case BOOLEAN -> DataType.BOOL;
                    default -> null;
                });
    }

    /** A libtorch tensor on the manager's device holding a copy of {@code tensor}. */
    static PtNDArray toTorch(NDManager manager, Tensor tensor) {
        ai.djl.ndarray.types.DataType type = torchType(tensor.type())
                .orElseThrow(() -> new IllegalArgumentException("libtorch has no " + tensor.type() + " tensors"));
        int count = tensor.elementCount();
        ByteBuffer buffer =
                ByteBuffer.allocateDirect(count * tensor.type().byteSize()).order(ByteOrder.nativeOrder());
        Object data = tensor.data();
        switch (tensor.type()) {
            case FP32 -> buffer.asFloatBuffer().put((float[]) data);
            case FP64 -> buffer.asDoubleBuffer().put((double[]) data);
            case INT64 -> buffer.asLongBuffer().put((long[]) data);
            case INT32 -> buffer.asIntBuffer().put((int[]) data);
            case FP16, INT16 -> buffer.asShortBuffer().put((short[]) data);
            case INT8, UINT8 -> buffer.put((byte[]) data).rewind();
            case BOOL -> {
                boolean[] values = (boolean[]) data;
                for (boolean value : values) {
                    buffer.put((byte) (value ? 1 : 0));
                }
                buffer.rewind();
            }
            case BYTES -> throw new IllegalStateException("unreachable: BYTES has no libtorch type");
        }
        return (PtNDArray) manager.create(buffer, new Shape(tensor.shape()), type);
    }

    /** A copy of a libtorch tensor (moved to the CPU first if it lives on a GPU). */
    static Tensor fromTorch(PtNDArray array, String name) {
        DataType type = dataType(array.getDataType())
                .orElseThrow(() -> new IllegalArgumentException("module output " + name + " has element type "
                        + array.getDataType() + ", which Infera does not serve"));
        PtNDArray host = array.getDevice().isGpu() ? (PtNDArray) array.toDevice(ai.djl.Device.cpu(), false) : array;
        long[] shape = host.getShape().getShape();
        int count = Math.toIntExact(Tensor.elementCount(shape));
        ByteBuffer buffer = host.toByteBuffer().order(ByteOrder.nativeOrder());
        Object out = type.newArray(count);
        switch (type) {
            case FP32 -> buffer.asFloatBuffer().get((float[]) out);
            case FP64 -> buffer.asDoubleBuffer().get((double[]) out);
            case INT64 -> buffer.asLongBuffer().get((long[]) out);
            case INT32 -> buffer.asIntBuffer().get((int[]) out);
            case FP16, INT16 -> buffer.asShortBuffer().get((short[]) out);
            case INT8, UINT8 -> buffer.get((byte[]) out);
            case BOOL -> {
                boolean[] values = (boolean[]) out;
                for (int i = 0; i < count; i++) {
                    values[i] = buffer.get(i) != 0;
                }
            }
            case BYTES -> throw new IllegalStateException("unreachable: no libtorch type maps to BYTES");
        }
        return new Tensor(type, shape, out);
    }
}
