package io.infera.batching;

import io.infera.runtime.DataType;
import io.infera.runtime.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stacks rows into batch tensors and splits batch outputs back into rows. Rows of different
 * shapes are padded at the end of each axis to the largest shape in the batch, with the pad value
 * declared for that input (0 unless the task says otherwise, e.g. the tokenizer's pad id).
 */
public final class BatchCollator {

    private BatchCollator() {}

    public static Map<String, Tensor> collate(List<Map<String, Tensor>> rows, Map<String, Number> padValues) {
        Map<String, Tensor> batch = new LinkedHashMap<>();
        for (String name : rows.getFirst().keySet()) {
            List<Tensor> column = new ArrayList<>(rows.size());
            for (Map<String, Tensor> row : rows) {
                Tensor t = row.get(name);
                if (t == null) {
                    throw new IllegalArgumentException("row lacks input " + name);
                }
                column.add(t);
            }
            batch.put(name, stack(column, padValues.getOrDefault(name, 0)));
        }
        return batch;
    }

    /** Splits every output along its first axis into {@code rows} parts. */
    public static List<Map<String, Tensor>> split(Map<String, Tensor> outputs, int rows) {
        List<Map<String, Tensor>> result = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            result.add(new LinkedHashMap<>());
        }
        for (Map.Entry<String, Tensor> output : outputs.entrySet()) {
            Tensor t = output.getValue();
            if (t.rank() == 0 || t.shape()[0] != rows) {
                // the model's fault, not the request's: a 500 that names the output
                throw new io.infera.errors.BackendException(
                        "the model's output " + output.getKey() + " has shape " + Arrays.toString(t.shape())
                                + ", expected a first axis of " + rows + " (one per batch row)",
                        null);
            }
            long[] rowShape = Arrays.copyOfRange(t.shape(), 1, t.rank());
            int size = t.elementCount() / rows;
            for (int i = 0; i < rows; i++) {
                Object data = t.type().newArray(size);
                System.arraycopy(t.data(), i * size, data, 0, size);
                result.get(i).put(output.getKey(), new Tensor(t.type(), rowShape, data));
            }
        }
        return result;
    }

    private static Tensor stack(List<Tensor> column, Number padValue) {
        Tensor first = column.getFirst();
        long[] max = first.shape();
        for (Tensor t : column) {
            if (t.type() != first.type() || t.rank() != first.rank()) {
                throw new IllegalArgumentException("rows disagree on " + first + " vs " + t);
            }
            long[] shape = t.shape();
            for (int a = 0; a < shape.length; a++) {
                max[a] = Math.max(max[a], shape[a]);
            }
        }
        int rowSize = Math.toIntExact(Tensor.elementCount(max));
        Object data = first.type().newArray(rowSize * column.size());
        if (padValue.doubleValue() != 0) {
            fill(data, first.type(), padValue);
        }
        for (int i = 0; i < column.size(); i++) {
            copyInto(column.get(i), data, i * rowSize, max);
        }
        long[] shape = new long[max.length + 1];
        shape[0] = column.size();
        System.arraycopy(max, 0, shape, 1, max.length);
        return new Tensor(first.type(), shape, data);
    }

    /** Copies a row into a (possibly larger) padded block, one innermost run at a time. */
    private static void copyInto(Tensor row, Object target, int offset, long[] padded) {
        long[] shape = row.shape();
        if (shape.length == 0) {
            System.arraycopy(row.data(), 0, target, offset, 1);
            return;
        }
        int run = (int) shape[shape.length - 1];
        int runs = run == 0 ? 0 : row.elementCount() / run;
        int[] index = new int[shape.length - 1];
        for (int r = 0; r < runs; r++) {
            int targetPos = 0;
            for (int a = 0; a < index.length; a++) {
                targetPos = targetPos * (int) padded[a] + index[a];
            }
            targetPos = targetPos * (int) padded[shape.length - 1];
            System.arraycopy(row.data(), r * run, target, offset + targetPos, run);
            for (int a = index.length - 1; a >= 0; a--) {
                if (++index[a] < shape[a]) {
                    break;
                }
                index[a] = 0;
            }
        }
    }

    private static void fill(Object data, DataType type, Number value) {
        switch (type) {
            case FP32 -> Arrays.fill((float[]) data, value.floatValue());
            case FP64 -> Arrays.fill((double[]) data, value.doubleValue());
            case FP16 -> Arrays.fill((short[]) data, Float.floatToFloat16(value.floatValue()));
            case INT16 -> Arrays.fill((short[]) data, value.shortValue());
            case INT64 -> Arrays.fill((long[]) data, value.longValue());
            case INT32 -> Arrays.fill((int[]) data, value.intValue());
            case INT8, UINT8 -> Arrays.fill((byte[]) data, value.byteValue());
            case BOOL -> Arrays.fill((boolean[]) data, value.intValue() != 0);
            case BYTES -> throw new IllegalArgumentException("string inputs cannot be padded with a number");
        }
    }
}
