package io.infera.batching;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infera.errors.ModelLoadException;
import io.infera.generation.GenerationObserver;
import io.infera.registry.ModelDefaults;
import io.infera.registry.ModelLoader;
import io.infera.registry.ModelObservers;
import io.infera.registry.ServedModel;
import io.infera.tasks.TaskInput;
import io.infera.testing.JsonMatch;
import io.infera.testing.TestModels;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Batch invariance, as a property of every batched path: an item's answer is the same when its
 * request runs alone and when it is sent together with random other requests of random sizes
 * (labels and text exactly, numbers within 1e-4). Each path draws {@link #MIXES} seeded mixes; a
 * failure names the path, the seed and the item. Models are loaded with a batching delay, so that
 * requests sent together share runs; where a model shares runs at all, the test also checks that
 * some run held several rows (else it would prove nothing).
 *
 * <p>Named regressions: optimum's older GPT-2 layout without position_ids ({@code tiny-gpt2-legacy})
 * and a dynamically quantized encoder ({@code tiny-bert-encoder-int8}) answered differently in a
 * batch before the server learnt to group or separate their rows.
 */
class BatchInvarianceTest {

    static final int MIXES = 6;

    /** Requests sent together wait up to this long for each other in the dynamic batcher. */
    private static final long BATCHING_DELAY_NANOS = 40_000_000L;

    private static final String[] WORDS =
            ("permission is hereby granted free of charge to any person obtaining a copy of this "
                            + "software and associated documentation files the software to deal in the software "
                            + "without restriction including "
                            + "without limitation the rights to use copy modify merge publish distribute sublicense and or sell copies "
                            + "the quick brown fox jumps over the lazy dog while paris london and berlin are cities in europe")
                    .split(" ");

    private static final Map<String, Loaded> MODELS = new ConcurrentHashMap<>();

    /** A model loaded for this test, with the largest run it has made so far. */
    private record Loaded(ServedModel model, AtomicInteger largestRun) {}

    /** One request: its items and parameters. */
    private record Request(List<JsonNode> items, ObjectNode parameters) {}

    /** A batched path: the model that takes it and how to draw one item and a request's parameters. */
    record Case(
            String name,
            String model,
            BiFunction<Random, Integer, JsonNode> item,
            java.util.function.Function<Random, ObjectNode> parameters) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> paths() {
        return Stream.of(
                new Case(
                        "text-classification in length buckets",
                        "tiny-bert-sentiment",
                        (r, i) -> text(r, 1, 90),
                        r -> params()),
                new Case(
                        "fill-mask",
                        "tiny-bert-mlm",
                        (r, i) -> TestModels.JSON
                                .getNodeFactory()
                                .textNode(words(r, 1, 20) + " [MASK] " + words(r, 1, 30)),
                        r -> params()),
                new Case(
                        "zero-shot classification (a row per label)",
                        "tiny-bert-nli",
                        (r, i) -> text(r, 1, 40),
                        r -> params().set("candidate_labels", TestModels.JSON.valueToTree(labels(r)))),
                new Case(
                        "question-answering in document windows",
                        "tiny-bert-qa",
                        (r, i) -> TestModels.JSON
                                .createObjectNode()
                                .put("question", words(r, 2, 8))
                                .put("context", words(r, 5, 160)),
                        r -> params().put("max_seq_len", 48).put("doc_stride", 16)),
                new Case(
                        "token-classification in stride windows",
                        "tiny-bert-ner",
                        (r, i) -> text(r, 1, 200),
                        r -> params().put("aggregation_strategy", "simple").put("stride", 16)),
                new Case(
                        "feature-extraction embeddings",
                        "tiny-bert-encoder",
                        (r, i) -> text(r, 1, 90),
                        r -> params().put("pooling", r.nextBoolean() ? "mean" : "cls")),
                new Case(
                        "feature-extraction, int8 with dynamic quantization",
                        "tiny-bert-encoder-int8",
                        (r, i) -> text(r, 1, 90),
                        r -> params().put("pooling", "mean")),
                new Case(
                        "text-generation, model.onnx with position_ids",
                        "tiny-gpt2",
                        (r, i) -> text(r, 1, 12),
                        BatchInvarianceTest::greedy),
                new Case(
                        "text-generation, merged decoder with position_ids",
                        "tiny-gpt2-merged",
                        (r, i) -> text(r, 1, 12),
                        BatchInvarianceTest::greedy),
                new Case(
                        "text-generation, older merged decoder without position_ids",
                        "tiny-gpt2-legacy",
                        (r, i) -> text(r, 1, 12),
                        BatchInvarianceTest::greedy),
                new Case(
                        "text2text-generation waves (BART)",
                        "tiny-bart",
                        (r, i) -> text(r, 1, 20),
                        BatchInvarianceTest::beams),
                new Case(
                        "text2text-generation waves (T5)",
                        "tiny-t5",
                        (r, i) -> text(r, 1, 20),
                        BatchInvarianceTest::beams),
                new Case(
                        "speech recognition in chunks",
                        "tiny-wav2vec2-ctc",
                        (r, i) -> audio(r),
                        r -> r.nextBoolean()
                                ? params()
                                : params().put("chunk_length_s", 0.4).put("stride_length_s", 0.1)),
                new Case(
                        "image-classification, pictures of every size",
                        "tiny-vit",
                        (r, i) -> picture(r),
                        r -> params()),
                new Case(
                        "object-detection, pictures resized by shortest and longest edge",
                        "tiny-detr",
                        (r, i) -> picture(r),
                        r -> params().put("threshold", 0.2)),
                new Case(
                        "visual question answering, pictures of every size",
                        "tiny-vilt",
                        (r, i) -> TestModels.JSON
                                .createObjectNode()
                                .put("question", words(r, 2, 8))
                                .set("image", picture(r)),
                        r -> params()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void anItemAnswersTheSameAloneAndAmongOthers(Case path) {
        Loaded loaded = MODELS.computeIfAbsent(path.model(), BatchInvarianceTest::load);
        for (int seed = 1; seed <= MIXES; seed++) {
            Random random = new Random(seed * 7919L + path.model().hashCode());
            List<Request> mix = new ArrayList<>();
            int requests = 2 + random.nextInt(4);
            for (int r = 0; r < requests; r++) {
                List<JsonNode> items = new ArrayList<>();
                int count = 1 + random.nextInt(3);
                for (int i = 0; i < count; i++) {
                    items.add(path.item().apply(random, i));
                }
                mix.add(new Request(items, path.parameters().apply(random)));
            }
            checkMix(path, loaded.model(), mix, seed);
        }
        BatchingMode mode = loaded.model().batching();
        if (Set.of("dynamic", "continuous", "continuous-same-position", "waves").contains(mode.mode())) {
            assertTrue(loaded.largestRun().get() > 1, path + ": no run held more than one row, so nothing was tested");
        }
    }

    private static void checkMix(Case path, ServedModel model, List<Request> mix, int seed) {
        List<List<JsonNode>> alone = new ArrayList<>();
        for (Request request : mix) {
            List<JsonNode> answers = new ArrayList<>();
            for (JsonNode item : request.items()) {
                answers.add(answer(model, List.of(item), request.parameters())
                        .join()
                        .getFirst());
            }
            alone.add(answers);
        }
        List<CompletableFuture<List<JsonNode>>> together = mix.stream()
                .map(request -> answer(model, request.items(), request.parameters()))
                .toList();
        for (int r = 0; r < mix.size(); r++) {
            List<JsonNode> answers = together.get(r).join();
            for (int i = 0; i < answers.size(); i++) {
                try {
                    JsonMatch.assertMatches(alone.get(r).get(i), answers.get(i), JsonMatch.SCORE_TOLERANCE);
                } catch (AssertionError e) {
                    fail(path + ", mix seed " + seed + ", request " + r + " of " + mix.size() + ", item " + i + " ("
                            + shortened(mix.get(r).items().get(i)) + ", parameters "
                            + mix.get(r).parameters()
                            + ") answers differently among others than alone: " + e.getMessage());
                }
            }
        }
    }

    private static CompletableFuture<List<JsonNode>> answer(
            ServedModel model, List<JsonNode> items, ObjectNode parameters) {
        List<TaskInput> inputs = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            inputs.add(new TaskInput.Json(items.get(i), "inputs[" + i + "]"));
        }
        return model.pipeline()
                .orElseThrow()
                .predict(inputs, parameters, null)
                .thenApply(results -> results.stream()
                        .map(result -> (JsonNode) TestModels.JSON.valueToTree(result))
                        .toList());
    }

    private static Loaded load(String name) {
        AtomicInteger largest = new AtomicInteger();
        ModelObservers observers = new ModelObservers() {
            @Override
            public BatchObserver batcher(String model, String task) {
                return new BatchObserver() {
                    @Override
                    public void batch(int rows, long realTokens, long paddedTokens, long inferenceNanos) {
                        largest.accumulateAndGet(rows, Math::max);
                    }
                };
            }

            @Override
            public GenerationObserver generation(String model) {
                return new GenerationObserver() {
                    @Override
                    public void step(int sequences, long nanos) {
                        largest.accumulateAndGet(sequences, Math::max);
                    }
                };
            }
        };
        BatchingPolicy delayed =
                new BatchingPolicy(16, BATCHING_DELAY_NANOS, 1024, new int[0], 0, new int[] {16, 32, 64, 128}, 64);
        ModelDefaults defaults = TestModels.DEFAULTS.withBatching(delayed);
        try {
            return new Loaded(
                    new ModelLoader(defaults, TestModels.JSON, observers).load(name, TestModels.DIR.resolve(name)),
                    largest);
        } catch (ModelLoadException e) {
            throw new AssertionError("test model " + name + " does not load: " + e.getMessage(), e);
        }
    }

    @AfterAll
    static void close() {
        MODELS.values().forEach(l -> l.model().close());
    }

    /** The server says how each model batches; the two named regressions batch as their graphs allow. */
    @Test
    void modelsSayHowTheyBatch() {
        assertTrue(MODELS.computeIfAbsent("tiny-gpt2-legacy", BatchInvarianceTest::load)
                .model()
                .batching()
                .mode()
                .equals("continuous-same-position"));
        assertTrue(MODELS.computeIfAbsent("tiny-gpt2", BatchInvarianceTest::load)
                .model()
                .batching()
                .mode()
                .equals("continuous"));
        BatchingMode int8 = MODELS.computeIfAbsent("tiny-bert-encoder-int8", BatchInvarianceTest::load)
                .model()
                .batching();
        assertTrue(
                int8.mode().equals("rows-separately") && int8.reason().contains("DynamicQuantizeLinear"),
                int8.toString());
        assertTrue(MODELS.computeIfAbsent("tiny-bert-encoder", BatchInvarianceTest::load)
                .model()
                .batching()
                .mode()
                .equals("dynamic"));
    }

    // --- random items

    private static ObjectNode params() {
        return TestModels.JSON.createObjectNode();
    }

    private static ObjectNode greedy(Random random) {
        return params().put("max_new_tokens", 3 + random.nextInt(8)).put("do_sample", false);
    }

    private static ObjectNode beams(Random random) {
        return params().put("max_new_tokens", 3 + random.nextInt(6)).put("num_beams", 1 + random.nextInt(3));
    }

    private static String words(Random random, int min, int max) {
        int count = min + random.nextInt(max - min + 1);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            text.append(i == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
        }
        return text.toString();
    }

    private static JsonNode text(Random random, int min, int max) {
        return TestModels.JSON.getNodeFactory().textNode(words(random, min, max));
    }

    private static List<String> labels(Random random) {
        List<String> all = new ArrayList<>(List.of("law", "software", "travel", "animals", "money", "cities"));
        java.util.Collections.shuffle(all, random);
        return all.subList(0, 2 + random.nextInt(3));
    }

    /** A random stretch of the spoken-digits recording as a 16 kHz 16-bit WAV, base64 in JSON. */
    private static JsonNode audio(Random random) {
        short[] samples = Sound.SPOKEN;
        int length = 1_600 + random.nextInt(samples.length - 1_600);
        int start = random.nextInt(samples.length - length + 1);
        ByteBuffer wav = ByteBuffer.allocate(44 + 2 * length).order(ByteOrder.LITTLE_ENDIAN);
        wav.put("RIFF".getBytes())
                .putInt(36 + 2 * length)
                .put("WAVEfmt ".getBytes())
                .putInt(16)
                .putShort((short) 1)
                .putShort((short) 1)
                .putInt(16_000)
                .putInt(32_000)
                .putShort((short) 2)
                .putShort((short) 16)
                .put("data".getBytes())
                .putInt(2 * length);
        for (int i = 0; i < length; i++) {
            wav.putShort(samples[start + i]);
        }
        return TestModels.JSON
                .getNodeFactory()
                .textNode(java.util.Base64.getEncoder().encodeToString(wav.array()));
    }

    /** A random part of the astronaut picture, scaled to a random size, as a PNG, base64 in JSON. */
    private static JsonNode picture(Random random) {
        BufferedImage source = Sound.ASTRONAUT;
        // a few sizes, so that some pictures of a mix share a size (and a batch), aspect ratios 1:2 to 2:1
        int height = 48 + 40 * random.nextInt(3);
        int width = height / 2 + 30 * random.nextInt(4);
        int x = random.nextInt(source.getWidth() / 2);
        int y = random.nextInt(source.getHeight() / 2);
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(source, 0, 0, width, height, x, y, source.getWidth(), source.getHeight(), null);
        g.dispose();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(out, "png", png);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return TestModels.JSON
                .getNodeFactory()
                .textNode(java.util.Base64.getEncoder().encodeToString(png.toByteArray()));
    }

    private static String shortened(JsonNode item) {
        String text = item.toString();
        return text.length() > 120 ? text.substring(0, 120) + "…" : text;
    }

    /** The recordings the random items are cut from, read once. */
    private static final class Sound {
        static final short[] SPOKEN = samples(TestModels.AUDIO.resolve("digits-16bit.wav"));
        static final BufferedImage ASTRONAUT = image(TestModels.IMAGES.resolve("astronaut.png"));

        private static short[] samples(Path wav) {
            try {
                ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(wav)).order(ByteOrder.LITTLE_ENDIAN);
                short[] out = new short[(bytes.capacity() - 44) / 2];
                bytes.position(44);
                bytes.asShortBuffer().get(out);
                return out;
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }

        private static BufferedImage image(Path png) {
            try {
                return ImageIO.read(png.toFile());
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
    }
}
