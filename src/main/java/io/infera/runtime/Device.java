package io.infera.runtime;

import java.util.Locale;

/** Where a model runs: the CPU, or one CUDA GPU by index. */
public record Device(Kind kind, int index) {

    public enum Kind {
        CPU,
        CUDA
    }

    public static final Device CPU = new Device(Kind.CPU, 0);

    public Device {
        if (index < 0) {
            throw new IllegalArgumentException("device index must be >= 0");
        }
    }

    /** Parses {@code cpu}, {@code cuda} (GPU 0) or {@code cuda:N}. */
    public static Device parse(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.equals("cpu")) {
            return CPU;
        }
        if (value.equals("cuda")) {
            return new Device(Kind.CUDA, 0);
        }
        if (value.startsWith("cuda:")) {
            try {
                return new Device(Kind.CUDA, Integer.parseInt(value.substring(5)));
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new IllegalArgumentException("device must be cpu, cuda or cuda:N, got '" + text + "'");
    }

    @Override
    public String toString() {
        return kind == Kind.CPU ? "cpu" : "cuda:" + index;
    }
}
