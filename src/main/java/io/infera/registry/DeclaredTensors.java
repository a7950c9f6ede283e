package io.infera.registry;

import io.infera.errors.ModelLoadException;
import io.infera.runtime.DataType;
import io.infera.runtime.TensorSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Tensor declarations from serving.yaml (for runtimes whose artifacts do not name their tensors), checked. */
final class DeclaredTensors {

    private DeclaredTensors() {}

    /**
     * @param field where the list sits in serving.yaml, for error messages ({@code torchscript.inputs})
     */
    static List<TensorSpec> of(List<ServingConfig.TensorDeclaration> declarations, String field)
            throws ModelLoadException {
        if (declarations == null || declarations.isEmpty()) {
            throw new ModelLoadException("serving.yaml " + field + " must list the tensors (name, datatype, shape)");
        }
        List<TensorSpec> specs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < declarations.size(); i++) {
            ServingConfig.TensorDeclaration declaration = declarations.get(i);
            String at = "serving.yaml " + field + "[" + i + "]";
            if (declaration == null
                    || declaration.name() == null
                    || declaration.name().isBlank()) {
                throw new ModelLoadException(at + ".name is required");
            }
            if (!names.add(declaration.name())) {
                throw new ModelLoadException(at + ".name: " + declaration.name() + " is declared twice");
            }
            DataType type = DataType.fromName(String.valueOf(declaration.datatype()))
                    .orElseThrow(() -> new ModelLoadException(at + ".datatype: '" + declaration.datatype()
                            + "' is not one of " + Arrays.toString(DataType.values())));
            if (declaration.shape() == null) {
                throw new ModelLoadException(at + ".shape is required (-1 for a free dimension)");
            }
            long[] shape = new long[declaration.shape().size()];
            for (int d = 0; d < shape.length; d++) {
                Long size = declaration.shape().get(d);
                if (size == null || size < -1) {
                    throw new ModelLoadException(at + ".shape[" + d + "] must be a size or -1, got " + size);
                }
                shape[d] = size;
            }
            specs.add(new TensorSpec(declaration.name(), type, shape));
        }
        return specs;
    }
}
