package io.infera.tasks.ocr;

import io.infera.errors.ModelLoadException;
import io.infera.runtime.Backend;
import io.infera.runtime.TensorSpec;
import io.infera.tasks.HfConfig;
import io.infera.tasks.ModelFiles;
import io.infera.tasks.OnnxFileOpener;
import io.infera.tasks.TaskContext;
import io.infera.tasks.imagetotext.TextRecognitionTask;
import java.util.ArrayList;
import java.util.List;

/**
 * The two models of an OCR folder, loaded: {@code detector/} (a DB text detector, the folder's
 * backend) and {@code recognizer/} (a CTC line recogniser, opened here), each a model folder of
 * its own with its config.json and preprocessor_config.json.
 *
 * @param recognizerInstances the recogniser's sessions, as many as the detector's
 */
public record OcrStages(TextDetector detector, TextRecognitionTask recognizer, List<Backend> recognizerInstances) {

    public static final String DETECTOR = "detector";
    public static final String RECOGNIZER = "recognizer";

    /**
     * @param context   the OCR folder's context, its tensors the detector's (the folder's backend)
     * @param instances sessions to open for the recogniser
     */
    public static OcrStages load(TaskContext context, OnnxFileOpener opener, int instances) throws ModelLoadException {
        TaskContext detector = stage(context, DETECTOR, context.inputs(), context.outputs());
        List<Backend> recognizers = new ArrayList<>();
        try {
            for (int i = 0; i < instances; i++) {
                recognizers.add(opener.open(RECOGNIZER + "/model.onnx"));
            }
            Backend first = recognizers.getFirst();
            TextRecognitionTask recognizer =
                    TextRecognitionTask.create(stage(context, RECOGNIZER, first.inputs(), first.outputs()));
            return new OcrStages(TextDetector.load(detector), recognizer, List.copyOf(recognizers));
        } catch (ModelLoadException | RuntimeException e) {
            recognizers.forEach(Backend::close);
            throw e;
        }
    }

    private static TaskContext stage(
            TaskContext context, String folder, List<TensorSpec> inputs, List<TensorSpec> outputs)
            throws ModelLoadException {
        ModelFiles files = new ModelFiles(
                context.files().versionFolder().resolve(folder),
                context.files().modelFolder().resolve(folder));
        return new TaskContext(
                context.modelName() + "/" + folder,
                files,
                HfConfig.read(files, context.json()),
                context.settings(),
                inputs,
                outputs,
                context.json(),
                context.observer());
    }
}
