package io.infera.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The PromQL queries Infera ships (dashboard, alerts, autoscaling) and the metric names they read. */
final class MonitoringFiles {

    static final Path DASHBOARD = Path.of("monitoring/grafana-dashboard.json");
    static final Path ALERTS = Path.of("monitoring/infera-alerts.yml");
    static final Path ALERT_TESTS = Path.of("monitoring/infera-alerts.test.yml");
    static final Path PROMETHEUS_RULE = Path.of("k8s/base/prometheusrule.yaml");
    static final Path HPA = Path.of("k8s/base/hpa.yaml");
    static final Path ADAPTER = Path.of("k8s/prometheus-adapter/values.yaml");

    /** Series Prometheus makes itself rather than scraping them. */
    static final Set<String> SYNTHETIC = Set.of("up", "scrape_duration_seconds", "scrape_samples_scraped");

    private static final Set<String> KEYWORDS = Set.of(
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "bool",
            "offset",
            "and",
            "or",
            "unless",
            "inf",
            "nan");

    private MonitoringFiles() {}

    /** Dashboard panel title -> its queries, with Grafana's variables as a plain query would have them. */
    static Map<String, List<String>> dashboardQueries() throws IOException {
        Map<String, List<String>> queries = new LinkedHashMap<>();
        for (JsonNode panel : new ObjectMapper().readTree(DASHBOARD.toFile()).path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queries.computeIfAbsent(panel.path("title").asText(), t -> new ArrayList<>())
                        .add(withoutGrafanaVariables(target.path("expr").asText()));
            }
        }
        return queries;
    }

    /** Alert name -> expression. */
    static Map<String, String> alertExpressions() throws IOException {
        Map<String, String> alerts = new LinkedHashMap<>();
        for (JsonNode group : Manifests.YAML.readTree(ALERTS.toFile()).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                alerts.put(
                        rule.path("alert").asText(rule.path("record").asText()),
                        rule.path("expr").asText());
            }
        }
        return alerts;
    }

    /** Every query shipped: dashboard, alerts, and the series the autoscaler and its adapter read. */
    static List<String> allQueries() throws IOException {
        List<String> all = new ArrayList<>();
        dashboardQueries().values().forEach(all::addAll);
        all.addAll(alertExpressions().values());
        for (JsonNode metric : Manifests.YAML.readTree(HPA.toFile()).at("/spec/metrics")) {
            if (metric.has("pods")) {
                all.add(metric.at("/pods/metric/name").asText());
            }
        }
        for (JsonNode rule : Manifests.YAML.readTree(ADAPTER.toFile()).at("/rules/custom")) {
            all.add(rule.path("seriesQuery").asText());
        }
        return all;
    }

    static String withoutGrafanaVariables(String expr) {
        return expr.replace("$__rate_interval", "1m").replaceAll("\\$\\{?[A-Za-z_]+}?", ".*");
    }

    /**
     * The metric names a PromQL expression reads: identifiers that are not functions (followed by
     * a parenthesis), keywords, label names in by/without/on lists, or anything inside label
     * matchers, strings and range brackets.
     */
    static Set<String> metricNames(String expr) {
        String text = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("'(?:[^'\\\\]|\\\\.)*'", "''")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("(?<![A-Za-z0-9_:.])([A-Za-z_:][A-Za-z0-9_:]*)(\\s*\\()?")
                .matcher(text);
        while (m.find()) {
            String name = m.group(1);
            if (m.group(2) == null && !KEYWORDS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                names.add(name);
            }
        }
        return names;
    }

    static Set<String> allMetricNames() throws IOException {
        Set<String> names = new TreeSet<>();
        allQueries().forEach(q -> names.addAll(metricNames(q)));
        return names;
    }

    /** Sample names in a Prometheus text exposition. */
    static Set<String> exposedNames(String scrape) {
        Set<String> names = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                Matcher m = Pattern.compile("^[A-Za-z_:][A-Za-z0-9_:]*").matcher(line);
                if (m.find()) {
                    names.add(m.group());
                }
            }
        }
        return names;
    }

    static String read(Path file) throws IOException {
        return Files.readString(file);
    }
}
