package io.infera.registry;

import java.util.List;

/**
 * Which numbered version folders serve at once, in Triton's spelling: the highest {@code
 * num_versions} ({@code latest}), the ones listed ({@code specific}) or every one ({@code all}).
 * Exactly one of the three; absent, the highest version alone serves.
 */
public record VersionPolicy(Latest latest, Specific specific, All all) {

    public record Latest(Integer numVersions) {}

    public record Specific(List<Long> versions) {}

    public record All() {}

    /** The highest version alone: what a model without a policy serves. */
    static final VersionPolicy LATEST_ONE = new VersionPolicy(new Latest(1), null, null);

    /**
     * The versions this policy serves out of those on disk (highest first).
     *
     * @throws IllegalArgumentException when the policy is malformed or names a version not on disk
     */
    List<Long> select(List<Long> onDisk) {
        int given = (latest != null ? 1 : 0) + (specific != null ? 1 : 0) + (all != null ? 1 : 0);
        if (given != 1) {
            throw new IllegalArgumentException("version_policy takes exactly one of latest, specific, all");
        }
        if (all != null) {
            return onDisk;
        }
        if (latest != null) {
            if (latest.numVersions() == null || latest.numVersions() < 1) {
                throw new IllegalArgumentException("version_policy.latest.num_versions must be >= 1");
            }
            return onDisk.subList(0, Math.min(latest.numVersions(), onDisk.size()));
        }
        if (specific.versions() == null || specific.versions().isEmpty()) {
            throw new IllegalArgumentException("version_policy.specific.versions lists at least one version");
        }
        for (Long version : specific.versions()) {
            if (!onDisk.contains(version)) {
                throw new IllegalArgumentException(
                        "version_policy.specific names version " + version + ", which is not among " + onDisk);
            }
        }
        return onDisk.stream().filter(specific.versions()::contains).toList();
    }
}
