package io.infera.registry;

/**
 * One version of a model at one moment.
 *
 * @param version the numbered folder's name ("1" for a folder without versions)
 * @param state   lifecycle state of this version
 * @param reason  why it FAILED, null otherwise
 * @param model   the loaded version while READY, null otherwise
 */
public record VersionStatus(String version, ModelState state, String reason, ServedModel model) {

    static VersionStatus loading(String version) {
        return new VersionStatus(version, ModelState.LOADING, null, null);
    }

    static VersionStatus ready(ServedModel model) {
        return new VersionStatus(model.version(), ModelState.READY, null, model);
    }

    static VersionStatus failed(String version, String reason) {
        return new VersionStatus(version, ModelState.FAILED, reason, null);
    }
}
