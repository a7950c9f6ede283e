package io.infera.tasks;

import io.infera.errors.ModelLoadException;
import io.infera.tasks.audioclassification.AudioClassificationTask;
import io.infera.tasks.featureextraction.FeatureExtractionTask;
import io.infera.tasks.fillmask.FillMaskTask;
import io.infera.tasks.imageclassification.ImageClassificationTask;
import io.infera.tasks.imagesegmentation.ImageSegmentationTask;
import io.infera.tasks.imagetotext.TextRecognitionTask;
import io.infera.tasks.multiplechoice.MultipleChoiceTask;
import io.infera.tasks.objectdetection.ObjectDetectionTask;
import io.infera.tasks.ocr.OcrStages;
import io.infera.tasks.questionanswering.QuestionAnsweringTask;
import io.infera.tasks.rerank.RerankTask;
import io.infera.tasks.sparseembedding.SparseEmbeddingTask;
import io.infera.tasks.speechrecognition.SpeechRecognitionTask;
import io.infera.tasks.speechrecognition.UtteranceCutting;
import io.infera.tasks.speechrecognition.WhisperRecognition;
import io.infera.tasks.tablequestionanswering.TableQuestionAnsweringTask;
import io.infera.tasks.textclassification.TextClassificationTask;
import io.infera.tasks.textgeneration.Text2TextGenerationPipeline;
import io.infera.tasks.textgeneration.TextGenerationPipeline;
import io.infera.tasks.tokenclassification.TokenClassificationTask;
import io.infera.tasks.visualquestionanswering.VisualQuestionAnsweringTask;
import io.infera.tasks.voiceactivity.VoiceActivityTask;
import io.infera.tasks.zeroshot.ZeroShotClassificationTask;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * The task implementations Infera has, by task type: the one place a new task is registered, and
 * the one place a model's task is made, whatever its type.
 */
public final class Tasks {

    @FunctionalInterface
    private interface Factory {
        TaskModel create(ModelParts parts) throws ModelLoadException;
    }

    /** A one-pass task, made from the model's context. */
    @FunctionalInterface
    private interface OnePassFactory {
        Task<?, ?> create(TaskContext context) throws ModelLoadException;
    }

    private static final Map<TaskType, Factory> FACTORIES = new EnumMap<>(Map.ofEntries(
            onePass(TaskType.TEXT_CLASSIFICATION, TextClassificationTask::create),
            onePass(TaskType.FEATURE_EXTRACTION, FeatureExtractionTask::create),
            onePass(TaskType.IMAGE_CLASSIFICATION, ImageClassificationTask::create),
            onePass(TaskType.OBJECT_DETECTION, ObjectDetectionTask::create),
            onePass(TaskType.IMAGE_SEGMENTATION, ImageSegmentationTask::create),
            onePass(TaskType.AUDIO_CLASSIFICATION, AudioClassificationTask::create),
            onePass(TaskType.IMAGE_TO_TEXT, TextRecognitionTask::create),
            onePass(TaskType.VISUAL_QUESTION_ANSWERING, VisualQuestionAnsweringTask::create),
            onePass(TaskType.TOKEN_CLASSIFICATION, TokenClassificationTask::create),
            onePass(TaskType.FILL_MASK, FillMaskTask::create),
            onePass(TaskType.QUESTION_ANSWERING, QuestionAnsweringTask::create),
            onePass(TaskType.MULTIPLE_CHOICE, MultipleChoiceTask::create),
            onePass(TaskType.TABLE_QUESTION_ANSWERING, TableQuestionAnsweringTask::create),
            onePass(TaskType.ZERO_SHOT_CLASSIFICATION, ZeroShotClassificationTask::create),
            onePass(TaskType.RERANK, RerankTask::create),
            onePass(TaskType.SPARSE_EMBEDDING, SparseEmbeddingTask::create),
            onePass(TaskType.VOICE_ACTIVITY_DETECTION, VoiceActivityTask::create),
            Map.entry(
                    TaskType.TEXT_GENERATION,
                    parts -> new TaskModel.Generating(TextGenerationPipeline.load(
                            parts.context(),
                            parts.backend(),
                            parts.generation(),
                            parts.maxNewTokens(),
                            parts.maxTextChars(),
                            parts.generationObserver()))),
            Map.entry(
                    TaskType.AUTOMATIC_SPEECH_RECOGNITION,
                    parts -> WhisperRecognition.isWhisperStyle(parts.context())
                            ? new TaskModel.Generating(WhisperRecognition.load(
                                    parts.context(),
                                    parts.backend(),
                                    parts.opener(),
                                    parts.generation(),
                                    parts.maxNewTokens(),
                                    parts.generationObserver()))
                            : new TaskModel.OnePass(SpeechRecognitionTask.create(parts.context()), parts)),
            Map.entry(
                    TaskType.TEXT2TEXT_GENERATION,
                    parts -> new TaskModel.Generating(Text2TextGenerationPipeline.load(
                            parts.context(),
                            parts.backend(),
                            parts.opener(),
                            parts.generation(),
                            parts.maxNewTokens(),
                            parts.maxTextChars(),
                            parts.generationObserver()))),
            Map.entry(
                    TaskType.OCR,
                    parts -> new TaskModel.Ocr(
                            OcrStages.load(parts.context(), parts.opener(), parts.instances()), parts))));

    private Tasks() {}

    private static Map.Entry<TaskType, Factory> onePass(TaskType type, OnePassFactory factory) {
        return Map.entry(type, parts -> new TaskModel.OnePass(factory.create(parts.context()), parts));
    }

    /** The task of a model of this type, made from what the loader has opened for it. */
    public static TaskModel create(TaskType type, ModelParts parts) throws ModelLoadException {
        Factory factory = FACTORIES.get(type);
        if (factory == null) {
            throw new ModelLoadException("task " + type + " is not supported yet (supported: " + supported() + ")");
        }
        return factory.create(parts);
    }

    /**
     * A speech recogniser's pipeline behind voice activity detection (serving.yaml {@code vad:}):
     * clips cut into the utterances the served detector {@code detector} finds.
     *
     * @param lookup the detector's pipeline, looked up per request
     * @throws ModelLoadException when the model is not a speech recogniser
     */
    public static Pipeline cutByVoiceActivity(
            TaskModel model,
            Pipeline pipeline,
            String detector,
            java.util.function.Supplier<Pipeline> lookup,
            Map<String, Double> parameters)
            throws ModelLoadException {
        AudioInputs audio = recognisersAudio(model);
        return new UtteranceCutting(pipeline, detector, lookup, parameters, audio.decoder(), audio.samplingRate());
    }

    /** @throws ModelLoadException when the model cannot be put behind voice activity detection */
    public static void checkCutsByVoiceActivity(TaskModel model) throws ModelLoadException {
        recognisersAudio(model);
    }

    /** How a speech recogniser (CTC or Whisper-style) reads audio. */
    private static AudioInputs recognisersAudio(TaskModel model) throws ModelLoadException {
        if (model instanceof TaskModel.OnePass onePass && onePass.task() instanceof SpeechRecognitionTask ctc) {
            return ctc.audio();
        }
        if (model instanceof TaskModel.Generating generating
                && generating.pipeline() instanceof WhisperRecognition whisper) {
            return whisper.audio();
        }
        throw new ModelLoadException("serving.yaml vad: cuts the audio of automatic-speech-recognition models; "
                + "this model's task is " + (model == null ? "none" : model.type()));
    }

    public static Set<TaskType> supported() {
        return FACTORIES.keySet();
    }
}
