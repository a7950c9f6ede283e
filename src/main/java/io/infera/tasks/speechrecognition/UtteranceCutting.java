package io.infera.tasks.speechrecognition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infera.errors.ModelNotReadyException;
import io.infera.processing.audio.Audio;
import io.infera.processing.audio.AudioDecoder;
import io.infera.processing.text.Tokenizer;
import io.infera.tasks.AudioInputs;
import io.infera.tasks.Parameters;
import io.infera.tasks.Pipeline;
import io.infera.tasks.TaskInput;
import io.infera.tasks.TaskType;
import io.infera.tasks.voiceactivity.VoiceActivityTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A speech recogniser behind voice activity detection (serving.yaml {@code vad:}): each clip is
 * decoded once, the served detector finds its utterances, and the recogniser transcribes the
 * utterances of every clip of the request as one submission (they are rows of its batcher beside
 * other requests'). A clip's answer joins its utterances' texts with a space, their timestamps
 * moved by where each utterance starts in the clip; silence between them is never run through
 * the recogniser. A clip without speech answers empty text.
 */
public final class UtteranceCutting implements Pipeline {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Pipeline recognizer;
    private final Supplier<Pipeline> detector;
    private final String detectorName;
    /** The detector's parameters as a request carries them, made once. */
    private final ObjectNode detectorParameters;

    private final AudioDecoder decoder;
    private final int samplingRate;

    /**
     * @param detector           the served voice-activity-detection model's pipeline, looked up per request
     *                           (it may be reloaded); throws when it is not ready
     * @param detectorParameters the detector's parameters from serving.yaml
     * @param samplingRate       the rate clips are decoded at (the recogniser's)
     */
    public UtteranceCutting(
            Pipeline recognizer,
            String detectorName,
            Supplier<Pipeline> detector,
            Map<String, Double> detectorParameters,
            AudioDecoder decoder,
            int samplingRate) {
        this.recognizer = recognizer;
        this.detectorName = detectorName;
        this.detector = detector;
        this.detectorParameters = JSON.valueToTree(detectorParameters);
        this.decoder = decoder;
        this.samplingRate = samplingRate;
    }

    /** The recogniser the utterances go to. */
    public Pipeline recognizer() {
        return recognizer;
    }

    @Override
    public TaskType taskType() {
        return recognizer.taskType();
    }

    @Override
    public void admit() {
        recognizer.admit();
    }

    @Override
    public Optional<Tokenizer> tokenizer() {
        return recognizer.tokenizer();
    }

    @Override
    public void close(Duration grace) {
        recognizer.close(grace);
    }

    /** One utterance: which clip, and where in it it starts, in seconds. */
    private record Utterance(int clip, double offset) {}

    @Override
    public CompletableFuture<List<Object>> predict(List<TaskInput> inputs, JsonNode parameters, Duration timeout) {
        long start = System.nanoTime();
        Pipeline vad = detector();
        OptionalInt timeoutMs = timeoutOf(parameters);
        Duration budget = timeoutMs.isPresent() ? Duration.ofMillis(timeoutMs.getAsInt()) : timeout;
        List<Audio> clips = new ArrayList<>(inputs.size());
        List<TaskInput> decoded = new ArrayList<>(inputs.size());
        for (TaskInput input : inputs) {
            Audio clip = AudioInputs.decode(decoder, input, samplingRate);
            clips.add(clip);
            decoded.add(new TaskInput.Decoded(clip, input.field()));
        }
        return vad.predict(decoded, detectorParameters, remaining(budget, start))
                .thenCompose(found -> recognise(inputs, clips, found, parameters, budget, start));
    }

    private CompletableFuture<List<Object>> recognise(
            List<TaskInput> inputs,
            List<Audio> clips,
            List<Object> found,
            JsonNode parameters,
            Duration budget,
            long start) {
        List<TaskInput> pieces = new ArrayList<>();
        List<Utterance> utterances = new ArrayList<>();
        for (int c = 0; c < clips.size(); c++) {
            float[] samples = clips.get(c).samples();
            for (Object segment : (List<?>) found.get(c)) {
                VoiceActivityTask.Segment s = (VoiceActivityTask.Segment) segment;
                int from = (int) Math.round(s.start() * samplingRate);
                int to = Math.min(samples.length, (int) Math.round(s.end() * samplingRate));
                if (to > from) {
                    pieces.add(new TaskInput.Decoded(
                            new Audio(Arrays.copyOfRange(samples, from, to), samplingRate),
                            inputs.get(c).field()));
                    utterances.add(new Utterance(c, from / (double) samplingRate));
                }
            }
        }
        CompletableFuture<List<Object>> heard = pieces.isEmpty()
                ? CompletableFuture.completedFuture(List.of())
                : recognizer.predict(pieces, parameters, remaining(budget, start));
        return heard.thenApply(answers -> joined(clips, utterances, answers, parameters));
    }

    /** Each clip's utterances, in order, as one answer. */
    private List<Object> joined(
            List<Audio> clips, List<Utterance> utterances, List<Object> answers, JsonNode parameters) {
        boolean timestamps = parameters != null && parameters.hasNonNull("return_timestamps");
        List<Object> out = new ArrayList<>(clips.size());
        for (int c = 0; c < clips.size(); c++) {
            StringBuilder text = new StringBuilder();
            List<SpeechRecognitionTask.Piece> chunks = timestamps ? new ArrayList<>() : null;
            for (int u = 0; u < utterances.size(); u++) {
                if (utterances.get(u).clip() != c) {
                    continue;
                }
                SpeechRecognitionTask.Answer answer = (SpeechRecognitionTask.Answer) answers.get(u);
                if (!answer.text().isBlank()) {
                    text.append(text.isEmpty() ? "" : " ").append(answer.text().strip());
                }
                if (chunks != null && answer.chunks() != null) {
                    double offset = utterances.get(u).offset();
                    for (SpeechRecognitionTask.Piece piece : answer.chunks()) {
                        chunks.add(piece.shifted(offset));
                    }
                }
            }
            out.add(new SpeechRecognitionTask.Answer(
                    text.toString(), chunks, clips.get(c).seconds()));
        }
        return out;
    }

    /**
     * Where the detector hears the last speech of a stretch of audio end (a live stream's
     * utterance so far), in seconds from the stretch's start; -1 where it hears none.
     */
    public CompletableFuture<Double> lastSpeechEnd(float[] samples, int rate) {
        List<TaskInput> stretch = List.of(new TaskInput.Decoded(new Audio(samples, rate), "stream"));
        return detector().predict(stretch, detectorParameters, null).thenApply(found -> {
            double end = -1;
            for (Object segment : (List<?>) found.getFirst()) {
                end = Math.max(end, ((VoiceActivityTask.Segment) segment).end());
            }
            return end;
        });
    }

    private Pipeline detector() {
        Pipeline vad = detector.get();
        if (vad.taskType() != TaskType.VOICE_ACTIVITY_DETECTION) {
            throw new ModelNotReadyException(
                    "the speech recogniser's vad model '" + detectorName + "' is a " + vad.taskType()
                            + " model, not voice-activity-detection",
                    true);
        }
        return vad;
    }

    private static OptionalInt timeoutOf(JsonNode parameters) {
        if (parameters == null || !parameters.isObject() || !parameters.has(TIMEOUT_PARAMETER)) {
            return OptionalInt.empty();
        }
        // read again, fully checked, by the recogniser's pipeline
        return Parameters.of(parameters).count(TIMEOUT_PARAMETER, OptionalInt.empty());
    }

    /** What is left of the budget after the time since {@code start}; null (none) stays null. */
    private static Duration remaining(Duration budget, long start) {
        if (budget == null || budget.isZero() || budget.isNegative()) {
            return budget;
        }
        Duration left = budget.minusNanos(System.nanoTime() - start);
        return left.isNegative() || left.isZero() ? Duration.ofNanos(1) : left;
    }
}
