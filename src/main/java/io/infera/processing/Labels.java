package io.infera.processing;

import java.util.List;

/** Class names by index, from config.json's {@code id2label} or a serving.yaml override. */
public record Labels(List<String> names) {

    public Labels {
        names = List.copyOf(names);
    }

    /** Hugging Face's names for a model that declares none. */
    public static Labels generic(int count) {
        return new Labels(java.util.stream.IntStream.range(0, count)
                .mapToObj(i -> "LABEL_" + i)
                .toList());
    }

    public String name(int index) {
        return names.get(index);
    }

    public int size() {
        return names.size();
    }
}
