package io.infera.api;

import io.infera.registry.ModelRepository;

/** The model tag of a metric: unknown names are folded into one value so clients cannot grow the series. */
final class ModelTag {

    static final String UNKNOWN = "_unknown";

    private ModelTag() {}

    static String of(String name, ModelRepository repository) {
        return repository.status(name).isPresent() ? name : UNKNOWN;
    }
}
