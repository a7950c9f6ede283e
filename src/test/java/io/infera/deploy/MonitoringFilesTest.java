package io.infera.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The alerting rules pass {@code promtool check rules} and their unit tests; the PrometheusRule
 * for the Operator carries exactly the same groups; every dashboard query is valid PromQL (promtool
 * parses them as recording rules) and the dashboard has the panels an operator needs. That the
 * queried metrics exist is checked against a running server by PrometheusScrapeIT.
 */
class MonitoringFilesTest {

    @Test
    void alertingRulesPassPromtoolsCheckAndUnitTests() throws Exception {
        Path promtool = OpsTools.require("promtool");
        String check = OpsTools.run(
                Path.of("monitoring"),
                promtool.toString(),
                "check",
                "rules",
                MonitoringFiles.ALERTS.getFileName().toString());
        assertTrue(check.contains("SUCCESS"), check);
        String tests = OpsTools.run(
                Path.of("monitoring"),
                promtool.toString(),
                "test",
                "rules",
                MonitoringFiles.ALERT_TESTS.getFileName().toString());
        assertTrue(tests.contains("SUCCESS"), tests);
    }

    @Test
    void thePrometheusRuleCarriesTheSameGroupsAsTheRulesFile() throws Exception {
        JsonNode file = Manifests.YAML.readTree(MonitoringFiles.ALERTS.toFile()).path("groups");
        JsonNode rule = Manifests.YAML
                .readTree(MonitoringFiles.PROMETHEUS_RULE.toFile())
                .at("/spec/groups");
        assertEquals(
                file,
                rule,
                MonitoringFiles.PROMETHEUS_RULE + " must carry " + MonitoringFiles.ALERTS + "'s groups unchanged");
    }

    @Test
    void everyDashboardQueryIsValidPromQl() throws Exception {
        Path promtool = OpsTools.require("promtool");
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        int i = 0;
        for (Map.Entry<String, List<String>> panel :
                MonitoringFiles.dashboardQueries().entrySet()) {
            for (String expr : panel.getValue()) {
                rules.append("      - record: dashboard:query")
                        .append(i++)
                        .append('\n')
                        .append("        expr: ")
                        .append(new ObjectMapper().writeValueAsString(expr))
                        .append('\n');
            }
        }
        Path file = Files.createTempFile("dashboard-queries", ".yml");
        try {
            Files.writeString(file, rules);
            String out = OpsTools.run(Path.of("."), promtool.toString(), "check", "rules", file.toString());
            assertTrue(out.contains("SUCCESS: " + i + " rules found"), out);
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void theDashboardShowsWhatAnOperatorNeeds() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(MonitoringFiles.DASHBOARD.toFile());
        Map<String, List<String>> queries = MonitoringFiles.dashboardQueries();
        Set<String> metrics = new java.util.TreeSet<>();
        queries.values().forEach(list -> list.forEach(q -> metrics.addAll(MonitoringFiles.metricNames(q))));
        for (String needed : List.of(
                "infera_requests_total",
                "infera_request_duration_seconds_bucket",
                "infera_queue_duration_seconds_bucket",
                "infera_inference_duration_seconds_bucket",
                "infera_batch_size_bucket",
                "infera_queue_depth",
                "infera_model_state",
                "infera_version_requests_total",
                "infera_version_request_duration_seconds_bucket",
                "infera_prediction_top_score_bucket",
                "infera_shadow_comparisons_total",
                "jvm_memory_used_bytes",
                "jvm_gc_pause_seconds_sum")) {
            assertTrue(metrics.contains(needed), "no panel reads " + needed);
        }
        String all = String.join(
                "\n", queries.values().stream().flatMap(List::stream).toList());
        for (String quantile :
                List.of("histogram_quantile(0.5,", "histogram_quantile(0.95,", "histogram_quantile(0.99,")) {
            assertTrue(all.contains(quantile), "no panel draws " + quantile);
        }
        assertTrue(all.contains("by (outcome)"), "errors by class: answers split by outcome");
        for (JsonNode panel : dashboard.path("panels")) {
            if (!panel.path("type").asText().equals("row")) {
                assertFalse(panel.path("targets").isEmpty(), panel.path("title") + " has no query");
                assertEquals(
                        "${datasource}",
                        panel.at("/datasource/uid").asText(),
                        panel.path("title") + " uses the datasource variable");
            }
        }
    }

    @Test
    void metricNamesAreReadOutOfPromQl() {
        assertEquals(
                Set.of("infera_request_duration_seconds_bucket"),
                MonitoringFiles.metricNames(
                        "histogram_quantile(0.99, sum by (model, le) (rate(infera_request_duration_seconds_bucket"
                                + "{model=~\".*\", outcome=\"a b\"}[5m]))) > 1"));
        assertEquals(
                Set.of("a_total", "b_total"),
                MonitoringFiles.metricNames(
                        "sum without (pod) (rate(a_total[1m])) / on (model) group_left (task) b_total unless bool 2"));
        assertEquals(Set.of("up"), MonitoringFiles.metricNames("up{job=~\".*infera.*\"} == 0"));
    }
}
