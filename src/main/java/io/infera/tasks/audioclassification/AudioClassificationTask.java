package io.infera.tasks.audioclassification;

import io.infera.batching.Row;
import io.infera.errors.ModelLoadException;
import io.infera.runtime.Tensor;
import io.infera.tasks.AudioInputs;
import io.infera.tasks.ClassificationParameters;
import io.infera.tasks.ClassifierHead;
import io.infera.tasks.Parameters;
import io.infera.tasks.Preprocessed;
import io.infera.tasks.Task;
import io.infera.tasks.TaskContext;
import io.infera.tasks.TaskInput;
import io.infera.tasks.TaskType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** Audio classification: the transformers pipeline's best-first {label, score} list (every label by default, as it answers here). */
public final class AudioClassificationTask implements Task<ClassificationParameters, Void> {

    private final AudioInputs audio;
    private final ClassifierHead head;

    private AudioClassificationTask(AudioInputs audio, ClassifierHead head) {
        this.audio = audio;
        this.head = head;
    }

    public static AudioClassificationTask create(TaskContext context) throws ModelLoadException {
        return new AudioClassificationTask(AudioInputs.load(context), ClassifierHead.find(context));
    }

    @Override
    public TaskType type() {
        return TaskType.AUDIO_CLASSIFICATION;
    }

    @Override
    public ClassificationParameters parameters(Parameters p) {
        return head.parameters(p, OptionalInt.empty());
    }

    @Override
    public Preprocessed<Void> preprocess(TaskInput input, ClassificationParameters parameters) {
        return Preprocessed.single(audio.row(input), null);
    }

    @Override
    public Object postprocess(Void context, List<Map<String, Tensor>> outputs, ClassificationParameters parameters) {
        return head.rank(outputs.getFirst(), parameters);
    }

    @Override
    public Optional<Row> warmupRow(int length) {
        return Optional.of(audio.warmupRow());
    }
}
