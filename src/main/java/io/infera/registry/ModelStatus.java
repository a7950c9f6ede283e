package io.infera.registry;

import io.infera.tasks.TaskType;
import java.util.Optional;

/**
 * What the registry knows of one model folder at one moment. Immutable: a state change replaces it.
 *
 * @param name   the folder name, which is the model name
 * @param state  lifecycle state
 * @param reason why the model FAILED, null otherwise
 * @param task   the task, once known
 * @param model  the loaded model while READY, null otherwise
 */
public record ModelStatus(String name, ModelState state, String reason, TaskType task, ServedModel model) {

    static ModelStatus loading(String name) {
        return new ModelStatus(name, ModelState.LOADING, null, null, null);
    }

    static ModelStatus ready(ServedModel model) {
        return new ModelStatus(
                model.name(), ModelState.READY, null, model.taskType().orElse(null), model);
    }

    static ModelStatus failed(String name, String reason) {
        return new ModelStatus(name, ModelState.FAILED, reason, null, null);
    }

    public Optional<ServedModel> served() {
        return Optional.ofNullable(model);
    }
}
