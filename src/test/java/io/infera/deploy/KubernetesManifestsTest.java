package io.infera.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infera.deploy.Manifests.Rendered;
import io.infera.registry.ServingConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every object the kustomizations under k8s/ render is valid for its kind's schema (see
 * {@link SchemaCheck}), the objects refer to each other correctly (selectors, names, ports), and
 * the pods are set up as a production serving pod must be.
 */
class KubernetesManifestsTest {

    private static List<Rendered> all;

    @BeforeAll
    static void render() throws Exception {
        all = Manifests.renderAll();
    }

    @Test
    void everyRenderedObjectMatchesItsKindsSchema() {
        List<String> problems = new ArrayList<>();
        for (Rendered object : all) {
            SchemaCheck.problems(object.object()).forEach(p -> problems.add(object.source() + ": " + p));
        }
        assertEquals(List.of(), problems);
        Set<String> kinds = new HashSet<>();
        all.forEach(o -> kinds.add(o.kind()));
        assertEquals(
                Set.of(
                        "ConfigMap",
                        "Service",
                        "Deployment",
                        "HorizontalPodAutoscaler",
                        "PodDisruptionBudget",
                        "ServiceMonitor",
                        "PrometheusRule",
                        "ServingRuntime",
                        "InferenceService"),
                kinds);
    }

    /** The checks can fail: a typo, a missing required field and a wrong type in each family of kinds. */
    @Test
    void theSchemaCheckRejectsTyposMissingFieldsAndWrongTypes() {
        assertRejected("k8s/overlays/cpu", "Deployment", "/spec", o -> o.put("replica", 2), "replica");
        assertRejected(
                "k8s/overlays/cpu", "Deployment", "/spec/template/spec/containers/0", o -> o.remove("name"), "name");
        assertRejected(
                "k8s/overlays/cpu",
                "Deployment",
                "/spec/template/spec/containers/0",
                o -> o.put("ports", "8080"),
                "wrong JSON type");
        assertRejected(
                "k8s/overlays/cpu", "ServiceMonitor", "/spec/endpoints/0", o -> o.put("intervall", "15s"), "intervall");
        assertRejected("k8s/kserve", "ServingRuntime", "/spec", o -> o.put("protocolVersion", "v2"), "protocolVersion");
        assertRejected(
                "k8s/kserve",
                "InferenceService",
                "/spec/predictor/model",
                o -> o.put("storageURI", "pvc://x"),
                "storageURI");
    }

    @Test
    void servicesMonitorsAutoscalersAndBudgetsFindTheirPods() {
        for (String overlay : List.of("k8s/overlays/cpu", "k8s/overlays/gpu")) {
            List<Rendered> objects =
                    all.stream().filter(o -> o.source().equals(overlay)).toList();
            JsonNode deployment = single(objects, "Deployment");
            JsonNode podLabels = deployment.at("/spec/template/metadata/labels");
            assertEquals(
                    deployment.at("/spec/selector/matchLabels"),
                    subset(podLabels, deployment.at("/spec/selector/matchLabels")),
                    overlay);

            JsonNode service = single(objects, "Service");
            assertEquals(
                    service.at("/spec/selector"),
                    subset(podLabels, service.at("/spec/selector")),
                    overlay + " Service selector");
            Set<String> containerPorts = new HashSet<>();
            deployment
                    .at("/spec/template/spec/containers")
                    .forEach(c -> c.path("ports")
                            .forEach(p -> containerPorts.add(p.path("name").asText())));
            service.at("/spec/ports")
                    .forEach(p -> assertTrue(
                            containerPorts.contains(p.path("targetPort").asText()), overlay + " targetPort " + p));

            JsonNode budget = single(objects, "PodDisruptionBudget");
            assertEquals(
                    budget.at("/spec/selector/matchLabels"),
                    subset(podLabels, budget.at("/spec/selector/matchLabels")),
                    overlay + " PDB");
            assertTrue(
                    budget.at("/spec/minAvailable").asInt()
                            < deployment.at("/spec/replicas").asInt(),
                    overlay + " PDB must allow a drain");

            JsonNode autoscaler = single(objects, "HorizontalPodAutoscaler");
            assertEquals(
                    deployment.at("/metadata/name").asText(),
                    autoscaler.at("/spec/scaleTargetRef/name").asText(),
                    overlay);
            assertEquals(
                    "Deployment", autoscaler.at("/spec/scaleTargetRef/kind").asText(), overlay);
            boolean onQueueDepth = false;
            for (JsonNode metric : autoscaler.at("/spec/metrics")) {
                onQueueDepth |= metric.at("/pods/metric/name").asText().equals("infera_queue_depth");
            }
            assertTrue(onQueueDepth, overlay + ": the HPA scales on infera_queue_depth");

            JsonNode monitor = single(objects, "ServiceMonitor");
            JsonNode serviceLabels = service.at("/metadata/labels");
            assertEquals(
                    monitor.at("/spec/selector/matchLabels"),
                    subset(serviceLabels, monitor.at("/spec/selector/matchLabels")),
                    overlay + " ServiceMonitor");
            Set<String> servicePorts = new HashSet<>();
            service.at("/spec/ports")
                    .forEach(p -> servicePorts.add(p.path("name").asText()));
            monitor.at("/spec/endpoints").forEach(e -> {
                assertTrue(servicePorts.contains(e.path("port").asText()), overlay + " ServiceMonitor port " + e);
                assertEquals("/q/metrics", e.path("path").asText());
            });

            Set<String> configMaps = new HashSet<>();
            Manifests.ofKind(objects, "ConfigMap").forEach(c -> configMaps.add(c.name()));
            deployment
                    .at("/spec/template/spec/containers")
                    .forEach(c -> c.path("envFrom")
                            .forEach(e -> assertTrue(
                                    configMaps.contains(
                                            e.at("/configMapRef/name").asText()),
                                    overlay + " envFrom " + e)));
            deployment.at("/spec/template/spec/volumes").forEach(v -> {
                if (v.has("configMap")) {
                    assertTrue(configMaps.contains(v.at("/configMap/name").asText()), overlay + " volume " + v);
                }
            });
        }
    }

    @Test
    void podsAreProbedBoundedAndUnprivileged() {
        for (Rendered rendered : Manifests.ofKind(all, "Deployment").toList()) {
            JsonNode pod = rendered.object().at("/spec/template/spec");
            assertTrue(pod.at("/securityContext/runAsNonRoot").asBoolean(), rendered + " runAsNonRoot");
            JsonNode server = pod.at("/containers/0");
            assertEquals(
                    "/q/health/ready",
                    server.at("/readinessProbe/httpGet/path").asText(),
                    rendered + " readiness on model-ready");
            assertEquals(
                    "/q/health/live", server.at("/livenessProbe/httpGet/path").asText(), rendered + " liveness");
            assertTrue(
                    server.at("/startupProbe/periodSeconds").asInt()
                                    * server.at("/startupProbe/failureThreshold")
                                            .asInt()
                            >= 300,
                    rendered + ": the startup probe gives slow model loads at least 5 minutes");
            for (JsonNode container : iterable(pod.path("containers"), pod.path("initContainers"))) {
                assertFalse(
                        container.at("/resources/requests/cpu").isMissingNode(),
                        rendered + " " + container.path("name") + " cpu request");
                assertFalse(container.at("/resources/requests/memory").isMissingNode(), rendered + " memory request");
                assertFalse(container.at("/resources/limits/memory").isMissingNode(), rendered + " memory limit");
                assertFalse(
                        container
                                .at("/securityContext/allowPrivilegeEscalation")
                                .asBoolean(true),
                        rendered + " privilege escalation");
                assertTrue(
                        container.at("/securityContext/readOnlyRootFilesystem").asBoolean(),
                        rendered + " read-only root");
            }
            boolean modelsReadOnly = false;
            for (JsonNode mount : server.path("volumeMounts")) {
                if (mount.path("mountPath").asText().equals("/models")) {
                    modelsReadOnly = mount.path("readOnly").asBoolean();
                }
            }
            assertTrue(modelsReadOnly, rendered + ": models are mounted read-only");
        }
    }

    @Test
    void theGpuOverlayAsksForAGpuAndTheCudaImageAndTheCpuOverlayDoesNot() {
        JsonNode gpu = single(
                        all.stream().filter(o -> o.source().endsWith("gpu")).toList(), "Deployment")
                .at("/spec/template/spec/containers/0");
        assertEquals("1", gpu.at("/resources/limits/nvidia.com~1gpu").asText());
        assertTrue(
                gpu.path("image").asText().contains("infera-cuda"),
                gpu.path("image").asText());
        assertTrue(env(gpu).getOrDefault("INFERA_DEVICE", "").startsWith("cuda"), "models default to the GPU");
        JsonNode cpu = single(
                        all.stream().filter(o -> o.source().endsWith("cpu")).toList(), "Deployment")
                .at("/spec/template/spec/containers/0");
        assertTrue(cpu.at("/resources/limits/nvidia.com~1gpu").isMissingNode());
        assertFalse(cpu.path("image").asText().contains("cuda"));
    }

    /** Every INFERA_ and QUARKUS_ variable the manifests set is a setting the server has (a typo would be ignored silently). */
    @Test
    void everyServerVariableNamesARealSetting() throws IOException {
        Set<String> known = knownSettingVariables();
        List<String> unknown = new ArrayList<>();
        for (Rendered object : all) {
            List<String> names = new ArrayList<>();
            if (object.kind().equals("ConfigMap") && object.name().startsWith("infera-env")) {
                object.object().path("data").fieldNames().forEachRemaining(names::add);
            }
            object.object()
                    .findValues("env")
                    .forEach(list -> list.forEach(e -> names.add(e.path("name").asText())));
            names.stream()
                    .filter(n -> n.startsWith("INFERA_") || n.startsWith("QUARKUS_"))
                    .filter(n -> !known.contains(n))
                    .forEach(n -> unknown.add(object + ": " + n));
        }
        assertEquals(List.of(), unknown);
    }

    @Test
    void servingYamlFromTheConfigMapIsReadByTheServerAndNamesABundledModel() throws Exception {
        int checked = 0;
        for (Rendered object : Manifests.ofKind(all, "ConfigMap").toList()) {
            if (!object.name().startsWith("infera-serving")) {
                continue;
            }
            for (var entry :
                    (Iterable<Map.Entry<String, JsonNode>>) object.object().path("data")::fields) {
                String model = entry.getKey().replaceFirst("\\.serving\\.yaml$", "");
                assertTrue(Files.isDirectory(Path.of("models", model)), "no bundled model " + model);
                Path file = Files.createTempFile("serving", ".yaml");
                try {
                    Files.writeString(file, entry.getValue().asText());
                    ServingConfig config = ServingConfig.read(file);
                    assertTrue(config.task() != null, entry.getKey());
                } finally {
                    Files.delete(file);
                }
                checked++;
            }
        }
        assertTrue(checked > 0, "no serving.yaml in the infera-serving ConfigMap");
    }

    @Test
    void theInferenceServiceRunsOnInferasServingRuntime() {
        JsonNode runtime = single(all, "ServingRuntime");
        JsonNode service = single(all, "InferenceService");
        JsonNode model = service.at("/spec/predictor/model");
        assertEquals(
                runtime.at("/metadata/name").asText(), model.path("runtime").asText());
        Set<String> formats = new HashSet<>();
        runtime.at("/spec/supportedModelFormats")
                .forEach(f -> formats.add(f.path("name").asText()));
        assertTrue(formats.contains(model.at("/modelFormat/name").asText()));
        assertEquals("v2", model.path("protocolVersion").asText(), "Infera speaks the Open Inference Protocol");
        JsonNode container = runtime.at("/spec/containers/0");
        assertEquals("kserve-container", container.path("name").asText(), "KServe looks the container up by this name");
        assertEquals(
                "/mnt/models",
                env(container).get("INFERA_MODELS_DIR"),
                "where KServe's storage initializer puts storageUri");
        assertEquals(
                "/v2/health/ready", container.at("/readinessProbe/httpGet/path").asText());
    }

    // --- helpers

    /** A rendered object with one part changed must fail the schema check with a problem naming {@code mentioning}. */
    private static void assertRejected(
            String source, String kind, String at, java.util.function.Consumer<ObjectNode> change, String mentioning) {
        ObjectNode object = single(
                        all.stream().filter(o -> o.source().equals(source)).toList(), kind)
                .deepCopy();
        change.accept((ObjectNode) object.at(at));
        List<String> problems = SchemaCheck.problems(object);
        assertTrue(
                problems.stream().anyMatch(p -> p.contains(mentioning)),
                "expected a problem naming " + mentioning + ", got " + problems);
    }

    private static JsonNode single(List<Rendered> objects, String kind) {
        List<Rendered> found = Manifests.ofKind(objects, kind).toList();
        assertEquals(1, found.size(), kind + ": " + found);
        return found.get(0).object();
    }

    /** The entries of {@code labels} whose keys {@code selector} names: equal to selector when it matches. */
    private static JsonNode subset(JsonNode labels, JsonNode selector) {
        ObjectNode out = Manifests.YAML.createObjectNode();
        selector.fieldNames().forEachRemaining(k -> {
            if (labels.has(k)) {
                out.set(k, labels.get(k));
            }
        });
        return out;
    }

    private static Map<String, String> env(JsonNode container) {
        Map<String, String> env = new java.util.HashMap<>();
        container
                .path("env")
                .forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
        return env;
    }

    private static List<JsonNode> iterable(JsonNode... arrays) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode array : arrays) {
            array.forEach(out::add);
        }
        return out;
    }

    /** The environment-variable spelling of every setting in application.properties and the configuration reference's tables. */
    static Set<String> knownSettingVariables() throws IOException {
        Set<String> keys = new HashSet<>();
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            properties.load(in);
        }
        properties.stringPropertyNames().forEach(k -> keys.add(k.replaceFirst("^%[a-z]+\\.", "")));
        Matcher setting = Pattern.compile(
                        "^\\| `((?:infera|quarkus)\\.[a-z0-9.-]+)`(?: / `([a-z0-9.-]+)`)*", Pattern.MULTILINE)
                .matcher(Files.readString(Path.of("docs/configuration.md")));
        while (setting.find()) {
            keys.add(setting.group(1));
        }
        Set<String> variables = new HashSet<>();
        keys.forEach(k -> variables.add(k.replaceAll("[^a-zA-Z0-9]", "_").toUpperCase(Locale.ROOT)));
        return variables;
    }
}
