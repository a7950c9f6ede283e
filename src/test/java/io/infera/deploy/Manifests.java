package io.infera.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The Kubernetes objects a user applies: each kustomization under k8s/ rendered by {@code kubectl kustomize}. */
final class Manifests {

    /** The kustomizations a user applies (the base is applied through an overlay). */
    static final List<String> APPLIED = List.of("k8s/overlays/cpu", "k8s/overlays/gpu", "k8s/kserve");

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Manifests() {}

    /** One rendered object and the kustomization it came from. */
    record Rendered(String source, JsonNode object) {
        String kind() {
            return object.path("kind").asText();
        }

        String name() {
            return object.path("metadata").path("name").asText();
        }

        @Override
        public String toString() {
            return source + ": " + kind() + "/" + name();
        }
    }

    static List<Rendered> render(String kustomization) throws IOException, InterruptedException {
        Path kubectl = OpsTools.require("kubectl");
        String yaml = OpsTools.run(Path.of("."), kubectl.toString(), "kustomize", kustomization);
        List<Rendered> objects = new ArrayList<>();
        for (JsonNode document : parse(yaml)) {
            objects.add(new Rendered(kustomization, document));
        }
        return objects;
    }

    static List<Rendered> renderAll() throws IOException, InterruptedException {
        List<Rendered> all = new ArrayList<>();
        for (String kustomization : APPLIED) {
            all.addAll(render(kustomization));
        }
        return all;
    }

    static List<JsonNode> parse(String yaml) throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(yaml)) {
            YAML.readValues(parser, JsonNode.class).forEachRemaining(d -> {
                if (d != null && !d.isNull() && !d.isEmpty()) {
                    documents.add(d);
                }
            });
        }
        return documents;
    }

    static Stream<Rendered> ofKind(List<Rendered> objects, String kind) {
        return objects.stream().filter(o -> o.kind().equals(kind));
    }
}
