package io.infera.batching;

/**
 * How a model's requests share runs, and why: what {@code /v1/models} shows, so that a user can
 * see when a model batches less than the server could and what in the model causes it.
 *
 * @param mode   a short name: {@code dynamic}, {@code rows-separately}, {@code unbatched},
 *               {@code continuous}, {@code continuous-same-position}, {@code one-sequence-per-step},
 *               {@code waves}, {@code one-request-per-wave}
 * @param reason one sentence on why the model batches this way
 */
public record BatchingMode(String mode, String reason) {

    public static final BatchingMode DYNAMIC = new BatchingMode(
            "dynamic",
            "rows of concurrent requests share runs, padded to the longest row within a length bucket and masked");

    public static final BatchingMode UNBATCHED = new BatchingMode(
            "unbatched", "serving.yaml unbatched: true: the graph has no batch axis, so items run one at a time");

    /** Every row runs alone: the graph couples the rows of a run. */
    public static BatchingMode rowsSeparately(String reason) {
        return new BatchingMode("rows-separately", reason + "; each row runs alone");
    }
}
