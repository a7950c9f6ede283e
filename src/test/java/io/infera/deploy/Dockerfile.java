package io.infera.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The instructions of a Dockerfile that the deployment tests look at (continuation lines joined). */
record Dockerfile(Path file, List<Instruction> instructions) {

    record Instruction(String keyword, String arguments, int stage) {}

    static Dockerfile read(Path file) throws IOException {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int stage = -1;
        for (String line : Files.readAllLines(file)) {
            String trimmed = line.strip();
            if (current.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                continue;
            }
            if (trimmed.startsWith("#")) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            String text = current.toString();
            current.setLength(0);
            int space = text.indexOf(' ');
            String keyword = (space < 0 ? text : text.substring(0, space)).toUpperCase(java.util.Locale.ROOT);
            if (keyword.equals("FROM")) {
                stage++;
            }
            instructions.add(new Instruction(
                    keyword, space < 0 ? "" : text.substring(space + 1).strip(), stage));
        }
        return new Dockerfile(file, instructions);
    }

    List<Instruction> finalStage() {
        int last = instructions.stream().mapToInt(Instruction::stage).max().orElse(0);
        return instructions.stream().filter(i -> i.stage() == last).toList();
    }

    List<Instruction> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    /** ENV of the final stage: {@code NAME=value} pairs, quoted values unquoted. */
    Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        Pattern pair = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S*)");
        for (Instruction i : finalStage()) {
            if (i.keyword().equals("ENV")) {
                Matcher m = pair.matcher(i.arguments());
                while (m.find()) {
                    String value = m.group(2);
                    env.put(m.group(1), value.startsWith("\"") ? value.substring(1, value.length() - 1) : value);
                }
            }
        }
        return env;
    }

    /** The final stage's ENTRYPOINT in exec (JSON) form. */
    List<String> entrypoint() throws IOException {
        List<Instruction> entrypoints = finalStage().stream()
                .filter(i -> i.keyword().equals("ENTRYPOINT"))
                .toList();
        if (entrypoints.size() != 1 || !entrypoints.get(0).arguments().startsWith("[")) {
            throw new IllegalStateException(file + ": expected one ENTRYPOINT in exec form, found " + entrypoints);
        }
        return new ObjectMapper().readValue(entrypoints.get(0).arguments(), new TypeReference<List<String>>() {});
    }

    /** Replaces the image's absolute paths by local ones (longest first, whole path segments only). */
    static String mapPaths(String text, Map<String, String> paths) {
        String out = text;
        for (String from : paths.keySet().stream()
                .sorted((a, b) -> b.length() - a.length())
                .toList()) {
            out = out.replaceAll(Pattern.quote(from) + "(?=/|\\s|$|\")", Matcher.quoteReplacement(paths.get(from)));
        }
        return out;
    }
}
