package io.infera.processing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;

/**
 * The keys a model file may hold, as the code that reads it declares them: those it honours and
 * those that change no answer. A key in neither list is refused, naming the file and the key, so
 * that a setting the server does not implement never silently changes what the model answers.
 *
 * @param file     the file's name, for messages
 * @param honoured keys the reader implements
 * @param noEffect keys that change no answer (metadata, training-only settings, class names)
 */
public record KnownKeys(String file, Set<String> honoured, Set<String> noEffect) {

    public KnownKeys {
        honoured = Set.copyOf(honoured);
        noEffect = Set.copyOf(noEffect);
    }

    /**
     * A key set to null counts as absent.
     *
     * @throws IllegalArgumentException naming the first key (in the file's order) that is in neither list
     */
    public void check(JsonNode json) {
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!honoured.contains(name)
                    && !noEffect.contains(name)
                    && !json.get(name).isNull()) {
                throw new IllegalArgumentException(
                        file + " key '" + name + "' is not one Infera implements, and it may change "
                                + "the answers; the keys read are " + new TreeSet<>(honoured));
            }
        }
    }
}
