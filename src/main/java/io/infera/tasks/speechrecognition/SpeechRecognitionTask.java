package io.infera.tasks.speechrecognition;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.batching.Row;
import io.infera.errors.InvalidInputException;
import io.infera.errors.ModelLoadException;
import io.infera.processing.ctc.CtcDecoder;
import io.infera.runtime.Tensor;
import io.infera.tasks.AudioInputs;
import io.infera.tasks.Parameters;
import io.infera.tasks.Preprocessed;
import io.infera.tasks.Task;
import io.infera.tasks.TaskContext;
import io.infera.tasks.TaskInput;
import io.infera.tasks.TaskType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Speech recognition with CTC models ({@code ...ForCTC}) as the transformers pipeline does it:
 * greedy decoding of the argmax frames (or, as an option, a CTC prefix beam search with
 * {@code decoder: beam} and {@code beam_width}); long audio optionally in overlapping chunks (each a
 * batcher row) whose strides are cut off before the frames are joined; character or word
 * timestamps from the model's frame stride.
 */
public final class SpeechRecognitionTask implements Task<SpeechRecognitionParameters, SpeechRecognitionTask.Chunks> {

    private final AudioInputs audio;
    private final CtcDecoder decoder;
    private final int samplesPerFrame;
    private final int samplingRate;

    /** Per chunk: its length and the strides to cut, in samples; and the clip's length in seconds. */
    record Chunks(List<int[]> strides, double seconds) {}

    /**
     * A transcribed piece with its [start, end] in seconds; an end (or start) is null where the
     * model gave none (a Whisper-style model's last segment without its closing timestamp).
     */
    public record Piece(String text, Double[] timestamp) {

        /** The same piece later by this many seconds. */
        public Piece shifted(double seconds) {
            return new Piece(text, new Double[] {
                timestamp[0] == null ? null : timestamp[0] + seconds,
                timestamp[1] == null ? null : timestamp[1] + seconds
            });
        }
    }

    /**
     * The pipeline's answer; chunks only with timestamps. The clip's length is not part of the
     * pipeline's answer (not written); the OpenAI transcription route reports it.
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Answer(
            String text,
            List<Piece> chunks,
            @com.fasterxml.jackson.annotation.JsonIgnore double seconds) {}

    private SpeechRecognitionTask(AudioInputs audio, CtcDecoder decoder, int samplesPerFrame, int samplingRate) {
        this.audio = audio;
        this.decoder = decoder;
        this.samplesPerFrame = samplesPerFrame;
        this.samplingRate = samplingRate;
    }

    public static SpeechRecognitionTask create(TaskContext context) throws ModelLoadException {
        if (!context.files().has("vocab.json")) {
            throw new ModelLoadException(
                    "automatic-speech-recognition with CTC needs the vocabulary: vocab.json in the model folder");
        }
        try {
            JsonNode vocab = context.json()
                    .readTree(context.files().resolve("vocab.json").toFile());
            Map<String, Integer> ids = new LinkedHashMap<>();
            vocab.properties().forEach(e -> ids.put(e.getKey(), e.getValue().asInt()));
            JsonNode tokenizer = context.files().has("tokenizer_config.json")
                    ? context.json()
                            .readTree(context.files()
                                    .resolve("tokenizer_config.json")
                                    .toFile())
                    : context.json().createObjectNode();
            CtcDecoder decoder = new CtcDecoder(
                    ids,
                    tokenizer.path("pad_token").asText("<pad>"),
                    tokenizer.path("word_delimiter_token").asText("|"),
                    tokenizer.path("replace_word_delimiter_char").asText(" "),
                    tokenizer.path("do_lower_case").asBoolean(false));
            int ratio = 1;
            for (JsonNode stride : context.config().json().path("conv_stride")) {
                ratio *= stride.asInt(1);
            }
            JsonNode preprocessor = context.json()
                    .readTree(
                            context.files().resolve("preprocessor_config.json").toFile());
            return new SpeechRecognitionTask(
                    AudioInputs.load(context),
                    decoder,
                    ratio,
                    preprocessor.path("sampling_rate").asInt(16000));
        } catch (IOException e) {
            throw new ModelLoadException("vocab.json or tokenizer_config.json cannot be read: " + e.getMessage(), e);
        }
    }

    /** How clips become samples at the model's rate. */
    public AudioInputs audio() {
        return audio;
    }

    @Override
    public TaskType type() {
        return TaskType.AUTOMATIC_SPEECH_RECOGNITION;
    }

    @Override
    public SpeechRecognitionParameters parameters(Parameters p) {
        String timestamps = null;
        if (p.has("return_timestamps")) {
            timestamps = p.string("return_timestamps", null);
            if (timestamps != null && !timestamps.equals("char") && !timestamps.equals("word")) {
                throw new InvalidInputException(
                        "parameters.return_timestamps", "must be char or word, got " + timestamps);
            }
        }
        int beamWidth = 0;
        String decoding = p.string("decoder", "greedy");
        if (decoding.equals("beam")) {
            beamWidth = p.integer("beam_width", 8, 1, 256);
            if (timestamps != null) {
                throw new InvalidInputException(
                        "parameters.return_timestamps", "timestamps come with greedy decoding only");
            }
        } else if (!decoding.equals("greedy")) {
            throw new InvalidInputException("parameters.decoder", "must be greedy or beam, got " + decoding);
        }
        return new SpeechRecognitionParameters(
                timestamps, AudioChunks.read(p, samplingRate, samplesPerFrame, 3600), beamWidth);
    }

    @Override
    public Preprocessed<Chunks> preprocess(TaskInput input, SpeechRecognitionParameters parameters) {
        float[] samples = audio.samples(input);
        if (parameters.chunks() == null) {
            return new Preprocessed<>(
                    List.of(audio.row(samples, input.field())),
                    new Chunks(List.of(new int[] {samples.length, 0, 0}), seconds(samples)));
        }
        List<Row> rows = new ArrayList<>();
        List<int[]> strides = new ArrayList<>();
        for (AudioChunks.Span span : parameters.chunks().spans(samples.length)) {
            rows.add(audio.row(java.util.Arrays.copyOfRange(samples, span.start(), span.end()), input.field()));
            strides.add(new int[] {span.length(), span.left(), span.right()});
        }
        return new Preprocessed<>(rows, new Chunks(strides, seconds(samples)));
    }

    private double seconds(float[] samples) {
        return samples.length / (double) samplingRate;
    }

    @Override
    public Object postprocess(
            Chunks chunks, List<Map<String, Tensor>> outputs, SpeechRecognitionParameters parameters) {
        List<Integer> frames = new ArrayList<>();
        List<float[]> kept = new ArrayList<>();
        int vocabularySize = 0;
        for (int c = 0; c < outputs.size(); c++) {
            Tensor logits = outputs.get(c).get("logits");
            int count = logits.dim(0);
            int vocabulary = logits.dim(1);
            float[] values = logits.toFloats();
            int[] stride = chunks.strides().get(c);
            int from = 0;
            int to = count;
            if (chunks.strides().size() > 1) {
                // The pipeline's cut, in frames: round(samples / samples per frame), halves to even.
                int total = (int) Math.rint((double) stride[0] / samplesPerFrame);
                from = (int) Math.rint((double) stride[1] / samplesPerFrame);
                to = Math.min(count, total - (int) Math.rint((double) stride[2] / samplesPerFrame));
            }
            vocabularySize = vocabulary;
            if (to > from) {
                kept.add(java.util.Arrays.copyOfRange(values, from * vocabulary, to * vocabulary));
            }
            for (int f = from; f < to; f++) {
                int best = 0;
                for (int v = 1; v < vocabulary; v++) {
                    if (values[f * vocabulary + v] > values[f * vocabulary + best]) {
                        best = v;
                    }
                }
                frames.add(best);
            }
        }
        if (parameters.beamWidth() > 0) {
            // The strided frames of every chunk, joined, then searched as one utterance.
            float[] joined = new float[frames.size() * vocabularySize];
            int at = 0;
            for (float[] part : kept) {
                System.arraycopy(part, 0, joined, at, part.length);
                at += part.length;
            }
            int[] labels = new io.infera.processing.ctc.CtcBeamSearch(parameters.beamWidth(), decoder.blankId())
                    .decode(joined, frames.size(), vocabularySize);
            return new Answer(decoder.text(labels), null, chunks.seconds());
        }
        CtcDecoder.Transcript transcript =
                decoder.decode(frames.stream().mapToInt(Integer::intValue).toArray());
        if (parameters.timestamps() == null) {
            return new Answer(transcript.text(), null, chunks.seconds());
        }
        List<CtcDecoder.Span> spans = parameters.timestamps().equals("word")
                ? decoder.words(transcript.characters())
                : transcript.characters();
        List<Piece> pieces = new ArrayList<>();
        for (CtcDecoder.Span span : spans) {
            pieces.add(new Piece(span.text(), new Double[] {
                (double) span.start() * samplesPerFrame / samplingRate,
                (double) span.end() * samplesPerFrame / samplingRate
            }));
        }
        return new Answer(transcript.text(), pieces, chunks.seconds());
    }

    @Override
    public Optional<Row> warmupRow(int length) {
        return Optional.of(audio.warmupRow());
    }
}
