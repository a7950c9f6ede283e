package io.infera.bench;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Request texts of known token lengths, for the BERT uncased tokenizer the bench models use. */
final class Texts {

    /** Common English words that the BERT uncased vocabulary holds as single tokens. */
    private static final String[] WORDS = ("the of and to in is was for on that with as by at from his it an were are "
                    + "which this be or has had not but also have one their new first after who its they two been more her "
                    + "other time all there when would into can only year some most many then may over made these three")
            .split(" ");

    private Texts() {}

    /** A text of {@code words} words (words + 2 tokens with [CLS] and [SEP]). */
    static String ofWords(int words, Random random) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < words; i++) {
            text.append(i == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
        }
        return text.toString();
    }

    static byte[] body(String text) {
        return ("{\"inputs\": \"" + text + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Mixed-length traffic: 70% short (8-32 tokens), 20% medium (33-128), 10% long (129-256),
     * the shape of real chat/search traffic where padding every batch to its longest item hurts.
     */
    static List<byte[]> mixed(int count, long seed) {
        Random random = new Random(seed);
        List<byte[]> bodies = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            double p = random.nextDouble();
            int tokens =
                    p < 0.7 ? 8 + random.nextInt(25) : p < 0.9 ? 33 + random.nextInt(96) : 129 + random.nextInt(128);
            bodies.add(body(ofWords(tokens - 2, random)));
        }
        return bodies;
    }

    /** The ids the model sees for a text, for the raw in-process ceiling. */
    static long[] ids(Path tokenizerJson, String text) throws Exception {
        try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(
                tokenizerJson, Map.of("padding", "false", "truncation", "true", "maxLength", "512"))) {
            return tokenizer.encode(text).getIds();
        }
    }
}
