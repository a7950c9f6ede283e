package io.infera.tasks.ocr;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.batching.Row;
import io.infera.batching.Scheduler;
import io.infera.processing.image.RgbImage;
import io.infera.processing.ocr.LineCrop;
import io.infera.processing.ocr.Quad;
import io.infera.processing.ocr.TextRegions;
import io.infera.runtime.Tensor;
import io.infera.tasks.Parameters;
import io.infera.tasks.Pipeline;
import io.infera.tasks.TaskInput;
import io.infera.tasks.TaskType;
import io.infera.tasks.imagetotext.TextRecognitionTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * OCR of whole pages, as PaddleOCR reads them: the detector finds the text lines of every page
 * (pages go through the detector's batcher), each line is cut out and straightened
 * ({@link LineCrop}), and the lines of every page of the request go through the recogniser's
 * batcher together (with the lines of concurrent requests); each page is answered with its lines
 * in reading order, those the recogniser is less sure of than {@code min_score} left out.
 */
public final class OcrPipeline implements Pipeline {

    private final OcrStages stages;
    private final Scheduler detector;
    private final Scheduler recognizer;
    private final JsonNode defaultParameters;
    private final AutoCloseable closeRecognizer;

    /**
     * @param detector        the detector's batcher (the model's own)
     * @param recognizer      the recogniser's batcher
     * @param closeRecognizer frees the recogniser's batcher and sessions when the model is unloaded
     */
    public OcrPipeline(
            OcrStages stages,
            Scheduler detector,
            Scheduler recognizer,
            JsonNode defaultParameters,
            AutoCloseable closeRecognizer) {
        this.stages = stages;
        this.detector = detector;
        this.recognizer = recognizer;
        this.defaultParameters = defaultParameters;
        this.closeRecognizer = closeRecognizer;
    }

    /** Every page starts at the detector: a full detector queue refuses the request. */
    @Override
    public void admit() {
        detector.admit();
    }

    @Override
    public TaskType taskType() {
        return TaskType.OCR;
    }

    /** What one request asks of the stages. */
    private record Settings(TextRegions regions, double minScore) {}

    @Override
    public CompletableFuture<List<Object>> predict(List<TaskInput> inputs, JsonNode parameters, Duration timeout) {
        long start = System.nanoTime();
        Parameters p = Parameters.of(Pipeline.withDefaults(defaultParameters, parameters));
        OptionalInt timeoutMs = p.count(TIMEOUT_PARAMETER, OptionalInt.empty());
        // PaddleOCR's defaults: text above 0.3, lines whose mean reaches 0.6, expanded by 1.5, read when 0.5 sure
        Settings settings = new Settings(
                new TextRegions(
                        p.decimal("threshold", 0.3, 0, 1),
                        p.decimal("box_threshold", 0.6, 0, 1),
                        p.decimal("unclip_ratio", 1.5, 0, 10),
                        p.integer("max_lines", 1000, 1, 10_000)),
                p.decimal("min_score", 0.5, 0, 1));
        p.rejectUnread(taskType().wireName());
        long deadline =
                Pipeline.deadline(start, timeoutMs.isPresent() ? Duration.ofMillis(timeoutMs.getAsInt()) : timeout);
        List<RgbImage> pages = new ArrayList<>(inputs.size());
        List<Row> rows = new ArrayList<>(inputs.size());
        for (TaskInput input : inputs) {
            RgbImage page = stages.detector().decode(input);
            pages.add(page);
            rows.add(stages.detector().row(page, input.field()));
        }
        return detector.submit(rows, deadline).thenCompose(maps -> read(pages, inputs, maps, settings, deadline));
    }

    /** Cuts out every page's lines and reads them all in one submission to the recogniser. */
    private CompletableFuture<List<Object>> read(
            List<RgbImage> pages,
            List<TaskInput> inputs,
            List<Map<String, Tensor>> maps,
            Settings settings,
            long deadline) {
        List<List<Quad>> lines = new ArrayList<>(pages.size());
        List<Row> crops = new ArrayList<>();
        for (int i = 0; i < pages.size(); i++) {
            List<Quad> found = stages.detector().lines(maps.get(i), pages.get(i), settings.regions());
            lines.add(found);
            for (Quad quad : found) {
                crops.add(stages.recognizer()
                        .row(LineCrop.of(pages.get(i), quad), inputs.get(i).field()));
            }
        }
        return recognizer.submit(crops, deadline).thenApply(outputs -> {
            List<Object> answers = new ArrayList<>(pages.size());
            int next = 0;
            for (List<Quad> page : lines) {
                List<TextLine> read = new ArrayList<>(page.size());
                for (Quad quad : page) {
                    TextRecognitionTask.Recognised line = stages.recognizer().recognise(outputs.get(next++));
                    if (line.score() >= settings.minScore()
                            && !line.generated_text().isBlank()) {
                        read.add(new TextLine(line.generated_text(), line.score(), quad.corners()));
                    }
                }
                answers.add(read);
            }
            return answers;
        });
    }

    @Override
    public void close(Duration grace) {
        try {
            closeRecognizer.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing the OCR recogniser failed", e);
        }
        stages.recognizer().close();
    }
}
