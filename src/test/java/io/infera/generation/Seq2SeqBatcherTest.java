package io.infera.generation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infera.runtime.Backend;
import io.infera.runtime.Device;
import io.infera.runtime.OnnxBackend;
import io.infera.runtime.OnnxSessionSettings;
import io.infera.testing.RecordingBackend;
import io.infera.testing.TestModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The encoder-decoder loop on the tiny BART, decoder calls recorded: requests waiting together
 * start as one wave and share every step (their beams in one batch, sources of different lengths
 * padded), each answering exactly as alone; a wave holds at most max-sequences rows.
 */
class Seq2SeqBatcherTest {

    private static final Path BART = TestModels.DIR.resolve("tiny-bart");
    private static final int[][] SOURCES = {
        {0, 519, 493, 333, 610, 394, 333, 2},
        {0, 52, 360, 660, 333, 949, 70, 93, 904, 16, 580, 279, 963, 2},
        {0, 100, 200, 2}
    };
    private static Backend encoder;
    private static Backend first;
    private static Backend later;

    /** Batch sizes of the recorded decoder calls. */
    private static List<Long> batches(RecordingBackend decoder) {
        return decoder.calls().stream().map(c -> c.get("input_ids")[0]).toList();
    }

    private static Backend open(String file) throws Exception {
        return OnnxBackend.open(
                BART.resolve(file),
                Device.CPU,
                new OnnxSessionSettings(1, 1, false, OnnxSessionSettings.OptimizationLevel.ALL));
    }

    @BeforeAll
    static void load() throws Exception {
        encoder = open("encoder_model.onnx");
        first = open("decoder_model.onnx");
        later = open("decoder_with_past_model.onnx");
    }

    @AfterAll
    static void close() {
        encoder.close();
        first.close();
        later.close();
    }

    private static Seq2SeqSettings beams(int beams) {
        LogitsProcessors forcedEos = new LogitsProcessors(
                1.0, 0, new int[0][], 0, 0, -1, new int[] {2}, -1, 1.0, new int[0], new int[0], null);
        GenerationSettings greedy =
                new GenerationSettings(10, false, 1, 0, 1, java.util.OptionalLong.empty(), new int[] {2}, forcedEos);
        return new Seq2SeqSettings(greedy, beams, 1.0, Seq2SeqSettings.EarlyStopping.FALSE, 2, 1);
    }

    /** Each source decoded in a wave of its own. */
    private static List<int[]> alone(Seq2SeqSettings settings) throws Exception {
        List<int[]> answers = new ArrayList<>();
        try (Seq2SeqBatcher batcher = new Seq2SeqBatcher(
                        "alone",
                        Seq2SeqLm.of(encoder, first, later),
                        new GenerationLimits(16, 8, 1024),
                        GenerationObserver.NONE)
                .start()) {
            for (int[] source : SOURCES) {
                answers.add(batcher.submit(source, settings, Long.MAX_VALUE)
                        .get(30, TimeUnit.SECONDS)
                        .getFirst());
            }
        }
        return answers;
    }

    private static List<CompletableFuture<int[]>> queueAll(Seq2SeqBatcher batcher, Seq2SeqSettings settings) {
        List<CompletableFuture<int[]>> futures = new ArrayList<>();
        for (int[] source : SOURCES) {
            futures.add(batcher.submit(source, settings, Long.MAX_VALUE).thenApply(List::getFirst));
        }
        return futures;
    }

    @Test
    void requestsWaitingTogetherShareEveryStepAndAnswerAsAlone() throws Exception {
        for (Seq2SeqSettings settings : List.of(beams(1), beams(3))) {
            List<int[]> expected = alone(settings);
            RecordingBackend decoder = new RecordingBackend(later);
            Seq2SeqBatcher batcher = new Seq2SeqBatcher(
                    "shared",
                    Seq2SeqLm.of(encoder, first, decoder),
                    new GenerationLimits(16, 8, 1024),
                    GenerationObserver.NONE);
            List<CompletableFuture<int[]>> futures = queueAll(batcher, settings);
            batcher.start();
            for (int i = 0; i < SOURCES.length; i++) {
                assertArrayEquals(expected.get(i), futures.get(i).get(30, TimeUnit.SECONDS), "source " + i);
            }
            batcher.close();
            assertEquals(
                    3L * settings.numBeams(),
                    batches(decoder).getFirst(),
                    "the first later step runs every request's rows");
        }
    }

    @Test
    void aWaveHoldsAtMostMaxSequencesRows() throws Exception {
        RecordingBackend decoder = new RecordingBackend(later);
        Seq2SeqBatcher batcher = new Seq2SeqBatcher(
                "small",
                Seq2SeqLm.of(encoder, first, decoder),
                new GenerationLimits(4, 8, 1024),
                GenerationObserver.NONE);
        List<CompletableFuture<int[]>> futures = queueAll(batcher, beams(3));
        batcher.start();
        List<int[]> expected = alone(beams(3));
        for (int i = 0; i < SOURCES.length; i++) {
            assertArrayEquals(expected.get(i), futures.get(i).get(30, TimeUnit.SECONDS));
        }
        batcher.close();
        assertTrue(
                batches(decoder).stream().allMatch(b -> b <= 4),
                batches(decoder).toString());
    }

    @Test
    void aCancelledRequestLeavesItsWaveAndTheOthersFinish() throws Exception {
        List<int[]> expected = alone(beams(2));
        Seq2SeqBatcher batcher = new Seq2SeqBatcher(
                "cancel",
                Seq2SeqLm.of(encoder, first, later),
                new GenerationLimits(16, 8, 1024),
                GenerationObserver.NONE);
        List<CompletableFuture<int[]>> futures = queueAll(batcher, beams(2));
        futures.get(1).cancel(false);
        batcher.start();
        assertArrayEquals(expected.get(0), futures.get(0).get(30, TimeUnit.SECONDS));
        assertArrayEquals(expected.get(2), futures.get(2).get(30, TimeUnit.SECONDS));
        assertTrue(futures.get(1).isCancelled());
        batcher.close();
    }
}
