package io.infera.registry;

import java.util.regex.Pattern;

/**
 * Model names: lower-case letters, digits, '.', '_' and '-', starting with a letter or digit, at
 * most 64 characters. Anything else is refused, so a name can never climb out of the models folder.
 */
public final class ModelName {

    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private ModelName() {}

    public static boolean isValid(String name) {
        return name != null && VALID.matcher(name).matches() && !name.contains("..");
    }
}
