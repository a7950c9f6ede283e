package io.infera.tasks;

import io.infera.errors.ModelLoadException;
import io.infera.tasks.featureextraction.FeatureExtractionTask;
import io.infera.tasks.imageclassification.ImageClassificationTask;
import io.infera.tasks.imagesegmentation.ImageSegmentationTask;
import io.infera.tasks.imagetotext.TextRecognitionTask;
import io.infera.tasks.audioclassification.AudioClassificationTask;
import io.infera.tasks.fillmask.FillMaskTask;
import io.infera.tasks.multiplechoice.MultipleChoiceTask;
import io.infera.tasks.objectdetection.ObjectDetectionTask;
import io.infera.tasks.tablequestionanswering.TableQuestionAnsweringTask;
import io.infera.tasks.questionanswering.QuestionAnsweringTask;
import io.infera.tasks.speechrecognition.SpeechRecognitionTask;
import io.infera.tasks.textclassification.TextClassificationTask;
import io.infera.tasks.visualquestionanswering.VisualQuestionAnsweringTask;
import io.infera.tasks.zeroshot.ZeroShotClassificationTask;
import io.infera.tasks.tokenclassification.TokenClassificationTask;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/** The task implementations Infera has, by task type: the one place a new task is registered. */
public final class Tasks {

    @FunctionalInterface
    private interface Factory {
        Task<?, ?> create(TaskContext context) throws ModelLoadException;
    }

    private static final Map<TaskType, Factory> FACTORIES = new EnumMap<>(Map.ofEntries(
            Map.entry(TaskType.TEXT_CLASSIFICATION, TextClassificationTask::create),
            Map.entry(TaskType.FEATURE_EXTRACTION, FeatureExtractionTask::create),
            Map.entry(TaskType.IMAGE_CLASSIFICATION, ImageClassificationTask::create),
            Map.entry(TaskType.OBJECT_DETECTION, ObjectDetectionTask::create),
            Map.entry(TaskType.IMAGE_SEGMENTATION, ImageSegmentationTask::create),
            Map.entry(TaskType.AUDIO_CLASSIFICATION, AudioClassificationTask::create),
            Map.entry(TaskType.IMAGE_TO_TEXT, TextRecognitionTask::create),
            Map.entry(TaskType.AUTOMATIC_SPEECH_RECOGNITION, SpeechRecognitionTask::create),
            Map.entry(TaskType.VISUAL_QUESTION_ANSWERING, VisualQuestionAnsweringTask::create),
            Map.entry(TaskType.TOKEN_CLASSIFICATION, TokenClassificationTask::create),
            Map.entry(TaskType.FILL_MASK, FillMaskTask::create),
            Map.entry(TaskType.QUESTION_ANSWERING, QuestionAnsweringTask::create),
            Map.entry(TaskType.MULTIPLE_CHOICE, MultipleChoiceTask::create),
            Map.entry(TaskType.TABLE_QUESTION_ANSWERING, TableQuestionAnsweringTask::create),
            Map.entry(TaskType.ZERO_SHOT_CLASSIFICATION, ZeroShotClassificationTask::create)));

    private Tasks() {
    }

    public static Task<?, ?> create(TaskType type, TaskContext context) throws ModelLoadException {
        Factory factory = FACTORIES.get(type);
        if (factory == null) {
            throw new ModelLoadException("task " + type + " is not supported yet (supported: " + supported() + ")");
        }
        return factory.create(context);
    }

    public static Set<TaskType> supported() {
        return FACTORIES.keySet();
    }
}
