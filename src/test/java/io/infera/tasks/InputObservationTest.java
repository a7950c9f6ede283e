package io.infera.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.infera.processing.image.RgbImage;
import io.infera.processing.text.FastTokenizer;
import io.infera.processing.text.TokenizerSettings;
import io.infera.runtime.DataType;
import io.infera.runtime.TensorSpec;
import io.infera.testing.TestModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the text encoder and the image reader report of each input, for drift monitoring. */
class InputObservationTest {

    private static final Path MINILM = TestModels.BUNDLED.resolve("all-minilm-l6-v2");

    /** Records every text row as "tokens/unknown/truncated". */
    private static final class Recorder implements PipelineObserver {
        final List<String> texts = new ArrayList<>();

        @Override
        public boolean watchesInputs() {
            return true;
        }

        @Override
        public void text(int tokens, int unknownTokens, boolean truncated) {
            texts.add(tokens + "/" + unknownTokens + "/" + truncated);
        }
    }

    @Test
    void textRowsReportTheirTokensUnknownTokensAndTruncation() throws Exception {
        TokenizerSettings settings = TokenizerSettings.read(
                MINILM.resolve("tokenizer.json"), MINILM.resolve("tokenizer_config.json"), TestModels.JSON);
        Recorder recorder = new Recorder();
        List<TensorSpec> inputs = List.of(new TensorSpec("input_ids", DataType.INT64, new long[] {-1, -1}));
        try (TextEncoder encoder = TextEncoder.forModel(
                FastTokenizer.load(MINILM.resolve("tokenizer.json"), settings, 8), inputs, 2, recorder)) {
            encoder.encode("a fine day", null);
            // a snowman is not in bert-base-uncased's vocabulary: one [UNK] (as the tokenizers library says)
            encoder.encode("a \u2603 day", null);
            encoder.encode("one two three four five six seven eight nine", null);
            encoder.warmupRow(8); // warm-up rows are not inputs
        }
        assertEquals(List.of("5/0/false", "5/1/false", "8/0/true"), recorder.texts);
    }

    @Test
    void brightnessIsTheMeanSampleOfThePicture() {
        byte[] white = new byte[10 * 10 * 3];
        java.util.Arrays.fill(white, (byte) 255);
        assertEquals(1.0, ImageInputs.brightness(new RgbImage(10, 10, white)), 1e-9);
        assertEquals(0.0, ImageInputs.brightness(new RgbImage(10, 10, new byte[300])), 1e-9);
        byte[] grey = new byte[10 * 10 * 3];
        java.util.Arrays.fill(grey, (byte) 51);
        assertEquals(0.2, ImageInputs.brightness(new RgbImage(10, 10, grey)), 1e-9);
    }
}
