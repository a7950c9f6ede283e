package io.infera.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The native executable's configuration for the two JNI libraries. Their C/Rust code finds Java
 * classes by name (FindClass) to build results and throw exceptions; in a native image each such
 * class must be registered for JNI, or the call fails at run time. The class names sit in the
 * shared objects as strings: every one found there must be in jni-config.json, so that an
 * ONNX Runtime or tokenizers upgrade that calls a new class fails this test, not production.
 */
class NativeImageConfigTest {

    private static final Path JNI_CONFIG =
            Path.of("src/main/resources/META-INF/native-image/io.infera/infera/jni-config.json");
    private static final Pattern CLASS_REFERENCE =
            Pattern.compile("(?:ai/onnxruntime|ai/djl|java/lang)/[A-Za-z0-9_/$]+");

    private static Set<String> registered() throws IOException {
        Set<String> names = new TreeSet<>();
        for (JsonNode entry : new ObjectMapper().readTree(JNI_CONFIG.toFile())) {
            names.add(entry.path("name").asText());
        }
        return names;
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ai/onnxruntime/native/linux-x64/libonnxruntime4j_jni.so",
                "native/lib/linux-x86_64/cpu/libtokenizers.so"
            })
    void everyClassTheNativeCodeLooksUpIsRegisteredForJni(String library) throws IOException {
        Set<String> referenced = classesReferencedBy(library);
        assertTrue(referenced.size() >= 3, library + " references " + referenced);
        Set<String> missing = new TreeSet<>(referenced);
        missing.removeAll(registered());
        assertEquals(Set.of(), missing, library + " looks these classes up; add them to " + JNI_CONFIG);
    }

    @Test
    void everyRegisteredClassExists() throws IOException {
        for (String name : registered()) {
            try {
                Class.forName(name, false, getClass().getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new AssertionError(JNI_CONFIG + " registers " + name + ", which is not on the class path");
            }
        }
    }

    /** The shared objects are resources the libraries unpack at run time: the native build must include them. */
    @Test
    void theNativeLibrariesAreIncludedAsResources() throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            properties.load(in);
        }
        String includes = properties.getProperty("quarkus.native.resources.includes");
        assertNotNull(includes, "quarkus.native.resources.includes");
        List<PathMatcher> globs = List.of(includes.split(",")).stream()
                .map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g.trim()))
                .toList();
        for (String resource : List.of(
                "ai/onnxruntime/native/linux-x64/libonnxruntime.so",
                "ai/onnxruntime/native/linux-x64/libonnxruntime4j_jni.so",
                "native/lib/tokenizers.properties",
                "native/lib/linux-x86_64/cpu/libtokenizers.so")) {
            assertNotNull(
                    getClass().getClassLoader().getResource(resource),
                    resource + " is not where the library loads it from");
            assertTrue(
                    globs.stream().anyMatch(g -> g.matches(Path.of(resource))),
                    resource + " is not included by " + includes);
        }
        assertTrue(
                properties
                        .getProperty("quarkus.native.additional-build-args", "")
                        .contains("--initialize-at-run-time=ai.onnxruntime"),
                "ONNX Runtime loads its library in a static initialiser: it must run at run time");
    }

    /**
     * Class names in the library's strings. C strings end with NUL, but Rust packs its literals
     * together ("ai/djl/engine/EngineExceptionget"), so each match is cut to its longest prefix
     * that names a class; matches that name none (package paths, resource folders) are not lookups.
     */
    private Set<String> classesReferencedBy(String library) throws IOException {
        byte[] bytes;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(library)) {
            assertNotNull(in, library + " is not on the class path");
            bytes = in.readAllBytes();
        }
        Set<String> classes = new TreeSet<>();
        Matcher matcher = CLASS_REFERENCE.matcher(new String(bytes, StandardCharsets.ISO_8859_1));
        while (matcher.find()) {
            String candidate = matcher.group();
            for (int end = candidate.length(); end > 0; end--) {
                String name = candidate.substring(0, end).replace('/', '.');
                if (exists(name)) {
                    classes.add(name);
                    break;
                }
            }
        }
        return classes;
    }

    private boolean exists(String name) {
        try {
            Class.forName(name, false, getClass().getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
