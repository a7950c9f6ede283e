package io.infera.deploy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checks one Kubernetes object against the schema of its kind and returns what is wrong (empty
 * when valid):
 * <ul>
 * <li>built-in kinds: the official Kubernetes Java client's models (client-java-api, generated from
 *     the API server's OpenAPI document); their {@code validateJsonElement} rejects unknown fields,
 *     missing required fields and wrong JSON types, recursively — kubeconform's strict mode;</li>
 * <li>Prometheus Operator kinds: fabric8's models generated from the operator's CRDs; a field they
 *     do not know lands in an {@code additionalProperties} map, which must stay empty;</li>
 * <li>KServe kinds: no registry reachable from the build ships KServe's CRD schema, so the fields
 *     Infera's manifests may use are listed here from KServe's v1beta1/v1alpha1 API reference, and
 *     the parts that are Kubernetes types (containers, pod spec, resources) go through the client's
 *     models as above.</li>
 * </ul>
 */
final class SchemaCheck {

    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private static final Map<String, String> FABRIC8_MONITORING = Map.of(
            "ServiceMonitor", "io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor",
            "PrometheusRule", "io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule");

    // serving.kserve.io/v1alpha1 ServingRuntimeSpec
    private static final Set<String> SERVING_RUNTIME_SPEC = Set.of(
            "supportedModelFormats",
            "protocolVersions",
            "multiModel",
            "disabled",
            "containers",
            "annotations",
            "labels",
            "nodeSelector",
            "affinity",
            "tolerations",
            "imagePullSecrets",
            "volumes",
            "replicas",
            "grpcEndpoint",
            "grpcDataEndpoint",
            "httpDataEndpoint",
            "storageHelper",
            "builtInAdapter",
            "hostIPC",
            "workerSpec");
    private static final Set<String> MODEL_FORMAT = Set.of("name", "version", "autoSelect", "priority");
    private static final Set<String> PROTOCOLS = Set.of("v1", "v2", "grpc-v1", "grpc-v2");
    // serving.kserve.io/v1beta1 ComponentExtensionSpec, inlined into PredictorSpec beside a PodSpec
    private static final Set<String> COMPONENT_EXTENSION = Set.of(
            "minReplicas",
            "maxReplicas",
            "scaleTarget",
            "scaleMetric",
            "scaleMetricType",
            "containerConcurrency",
            "timeout",
            "canaryTrafficPercent",
            "logger",
            "batcher",
            "labels",
            "annotations",
            "deploymentStrategy",
            "autoScaling");
    // PredictorSpec's predictor implementations (one of them, or model)
    private static final Set<String> PREDICTORS = Set.of(
            "model",
            "sklearn",
            "xgboost",
            "tensorflow",
            "pytorch",
            "triton",
            "onnx",
            "huggingface",
            "pmml",
            "lightgbm",
            "paddle",
            "workerSpec");
    // ModelSpec = PredictorExtensionSpec (a Container inlined) + modelFormat + runtime
    private static final Set<String> MODEL_SPEC =
            Set.of("modelFormat", "runtime", "storageUri", "storage", "protocolVersion", "runtimeVersion");

    private SchemaCheck() {}

    static List<String> problems(JsonNode object) {
        String apiVersion = object.path("apiVersion").asText();
        String kind = object.path("kind").asText();
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
        List<String> problems = new ArrayList<>();
        switch (group) {
            case "monitoring.coreos.com" -> fabric8(object, kind, problems);
            case "serving.kserve.io" -> kserve(object, kind, problems);
            default -> kubernetes(object, kubernetesModel(version, kind), kind, problems);
        }
        return problems;
    }

    /** {@code apps/v1 Deployment -> V1Deployment}, {@code autoscaling/v2 HorizontalPodAutoscaler -> V2HorizontalPodAutoscaler}. */
    private static String kubernetesModel(String version, String kind) {
        return "io.kubernetes.client.openapi.models." + version.substring(0, 1).toUpperCase(Locale.ROOT)
                + version.substring(1) + kind;
    }

    private static void kubernetes(JsonNode node, String modelClass, String where, List<String> problems) {
        Class<?> model;
        try {
            model = Class.forName(modelClass);
        } catch (ClassNotFoundException e) {
            problems.add(where + ": no Kubernetes API type " + modelClass.substring(modelClass.lastIndexOf('.') + 1));
            return;
        }
        try {
            Method validate = model.getMethod("validateJsonElement", JsonElement.class);
            validate.invoke(null, JsonParser.parseString(node.toString()));
        } catch (InvocationTargetException e) {
            // the generated validators report unknown and missing fields by name; a value of the
            // wrong JSON type surfaces as a failed cast inside them
            problems.add(where + ": "
                    + (e.getCause() instanceof ClassCastException
                            ? "a value has the wrong JSON type (" + e.getCause().getMessage() + ")"
                            : e.getCause().getMessage()));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void fabric8(JsonNode object, String kind, List<String> problems) {
        String type = FABRIC8_MONITORING.get(kind);
        if (type == null) {
            problems.add("monitoring.coreos.com " + kind + " is not checked here");
            return;
        }
        try {
            Object parsed = JSON.treeToValue(object, Class.forName(type));
            unknownFields(parsed, kind, problems, new IdentityHashMap<>());
        } catch (Exception e) {
            problems.add(kind + ": " + e.getMessage());
        }
    }

    /** Walks a fabric8 model: every object's additionalProperties holds the fields its schema does not know. */
    private static void unknownFields(Object value, String path, List<String> problems, Map<Object, Boolean> seen) {
        if (value == null || seen.put(value, true) != null) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + i++ + "]", problems, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, path + "." + k, problems, seen));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0
                    || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get")
                    || getter.getName().equals("getClass")) {
                continue;
            }
            Object field;
            try {
                field = getter.invoke(value);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (field instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(path + ": unknown field(s) " + extra.keySet());
                }
            } else {
                String name = getter.getName().substring(3);
                unknownFields(
                        field, path + "." + Character.toLowerCase(name.charAt(0)) + name.substring(1), problems, seen);
            }
        }
    }

    private static void kserve(JsonNode object, String kind, List<String> problems) {
        onlyKeys(object, Set.of("apiVersion", "kind", "metadata", "spec", "status"), kind, problems);
        kubernetes(
                object.path("metadata"),
                "io.kubernetes.client.openapi.models.V1ObjectMeta",
                kind + ".metadata",
                problems);
        JsonNode spec = object.path("spec");
        switch (kind) {
            case "ServingRuntime", "ClusterServingRuntime" -> {
                onlyKeys(spec, SERVING_RUNTIME_SPEC, kind + ".spec", problems);
                if (!spec.path("supportedModelFormats").isArray()
                        || spec.path("supportedModelFormats").isEmpty()) {
                    problems.add(kind + ".spec.supportedModelFormats: required, a non-empty list");
                }
                spec.path("supportedModelFormats").forEach(f -> {
                    onlyKeys(f, MODEL_FORMAT, kind + ".spec.supportedModelFormats[]", problems);
                    if (!f.path("name").isTextual()) {
                        problems.add(kind + ".spec.supportedModelFormats[].name: required");
                    }
                });
                spec.path("protocolVersions").forEach(p -> {
                    if (!PROTOCOLS.contains(p.asText())) {
                        problems.add(kind + ".spec.protocolVersions: " + p + " is none of " + PROTOCOLS);
                    }
                });
                if (!spec.path("containers").isArray()
                        || spec.path("containers").isEmpty()) {
                    problems.add(kind + ".spec.containers: required, a non-empty list");
                }
                spec.path("containers")
                        .forEach(c -> kubernetes(
                                c,
                                "io.kubernetes.client.openapi.models.V1Container",
                                kind + ".spec.containers[" + c.path("name").asText() + "]",
                                problems));
            }
            case "InferenceService" -> {
                onlyKeys(spec, Set.of("predictor", "transformer", "explainer"), kind + ".spec", problems);
                JsonNode predictor = spec.path("predictor");
                if (!predictor.isObject()) {
                    problems.add(kind + ".spec.predictor: required");
                    return;
                }
                // what is neither KServe's nor a predictor is the inlined PodSpec (which requires containers)
                ObjectNode podSpec = predictor.deepCopy();
                podSpec.remove(COMPONENT_EXTENSION);
                podSpec.remove(PREDICTORS);
                if (!podSpec.has("containers")) {
                    podSpec.putArray("containers");
                }
                kubernetes(
                        podSpec, "io.kubernetes.client.openapi.models.V1PodSpec", kind + ".spec.predictor", problems);
                JsonNode model = predictor.path("model");
                if (model.isObject()) {
                    ObjectNode container = model.deepCopy();
                    container.remove(MODEL_SPEC);
                    container.put("name", "kserve-container");
                    kubernetes(
                            container,
                            "io.kubernetes.client.openapi.models.V1Container",
                            kind + ".spec.predictor.model",
                            problems);
                    onlyKeys(
                            model.path("modelFormat"),
                            Set.of("name", "version"),
                            kind + ".spec.predictor.model.modelFormat",
                            problems);
                    if (!model.path("modelFormat").path("name").isTextual()) {
                        problems.add(kind + ".spec.predictor.model.modelFormat.name: required");
                    }
                    if (model.has("protocolVersion")
                            && !PROTOCOLS.contains(model.path("protocolVersion").asText())) {
                        problems.add(kind + ".spec.predictor.model.protocolVersion: none of " + PROTOCOLS);
                    }
                }
            }
            default -> problems.add("serving.kserve.io " + kind + " is not checked here");
        }
    }

    private static void onlyKeys(JsonNode node, Set<String> allowed, String where, List<String> problems) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                problems.add(where + ": unknown field '" + name + "'");
            }
        }
    }
}
