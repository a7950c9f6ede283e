package io.infera.routing;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.infera.errors.InvalidInputException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * How one model's requests are shared between its served versions: serving.yaml's {@code traffic:}
 * block, or what the management API set since.
 *
 * <pre>
 * traffic:
 *   split: {"1": 95, "2": 5}        # weights; a request with a routing key always lands on the same version
 *   shadow: {version: 2, sample: 1.0}  # a copy of this share of requests, answered by nobody
 * </pre>
 *
 * No split sends every request to the default version (the highest served). A split's version
 * that is not READY (loading, failed) drops out and its share goes to the others.
 *
 * @param split  version to weight, in the order written; empty for none
 * @param shadow the shadowing version and sample, or null
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record TrafficPolicy(Map<String, Integer> split, Shadow shadow) {

    public static final TrafficPolicy NONE = new TrafficPolicy(Map.of(), null);

    /**
     * A version that receives a copy of {@code sample} (0 to 1) of the requests the others answer.
     */
    public record Shadow(String version, Double sample) {

        /** Absent, the sample is every request. */
        public Shadow {
            sample = sample == null ? 1.0 : sample;
        }
    }

    public TrafficPolicy {
        split = split == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(split));
    }

    /**
     * This policy, checked against the versions served.
     *
     * @throws InvalidInputException naming the field that is wrong ({@code split.2}, {@code shadow.sample} ...)
     */
    public TrafficPolicy checked(Collection<String> served) {
        long total = 0;
        for (Map.Entry<String, Integer> weight : split.entrySet()) {
            String field = "split." + weight.getKey();
            if (!served.contains(weight.getKey())) {
                throw new InvalidInputException(
                        field, "version " + weight.getKey() + " is not served (served: " + served + ")");
            }
            if (weight.getValue() == null || weight.getValue() < 0) {
                throw new InvalidInputException(field, "a weight is a whole number >= 0");
            }
            total += weight.getValue();
        }
        if (!split.isEmpty() && total == 0) {
            throw new InvalidInputException("split", "the weights add up to 0");
        }
        if (shadow != null) {
            if (shadow.version() == null || !served.contains(shadow.version())) {
                throw new InvalidInputException(
                        "shadow.version", "version " + shadow.version() + " is not served (served: " + served + ")");
            }
            if (shadow.sample() == null || !(shadow.sample() > 0 && shadow.sample() <= 1)) {
                throw new InvalidInputException("shadow.sample", "a share above 0 and at most 1");
            }
        }
        return this;
    }

    /**
     * The version that answers a request no version was pinned for.
     *
     * @param ready      the versions READY now
     * @param fallback   the version that answers when the split names none of them (the default version)
     * @param routingKey the request's key (same key, same version), or null to draw at random
     */
    public String primary(List<String> ready, String fallback, String routingKey, RandomGenerator random) {
        long total = 0;
        for (Map.Entry<String, Integer> weight : split.entrySet()) {
            if (ready.contains(weight.getKey())) {
                total += weight.getValue();
            }
        }
        if (total == 0) {
            return fallback;
        }
        long point = routingKey == null ? random.nextLong(total) : RoutingKey.bucket(routingKey, total);
        for (Map.Entry<String, Integer> weight : split.entrySet()) {
            if (ready.contains(weight.getKey())) {
                point -= weight.getValue();
                if (point < 0) {
                    return weight.getKey();
                }
            }
        }
        throw new IllegalStateException("a point below the total falls in some weight");
    }

    /** The version that gets a copy of a request {@code primary} answers, when this one is drawn for it. */
    public Optional<String> shadowOf(String primary, List<String> ready, RandomGenerator random) {
        if (shadow == null || shadow.version().equals(primary) || !ready.contains(shadow.version())) {
            return Optional.empty();
        }
        return shadow.sample() >= 1 || random.nextDouble() < shadow.sample()
                ? Optional.of(shadow.version())
                : Optional.empty();
    }
}
