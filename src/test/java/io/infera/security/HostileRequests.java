package io.infera.security;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators of requests that are wrong by construction, one family per way a client (or an
 * attacker) gets a request wrong: the body is not JSON, the JSON is hostile, the structure or a
 * parameter is wrong for the task, the tensors do not fit the model, the image or audio bytes are
 * corrupt or lie in their headers, the model name tries to leave the models folder. Each family
 * starts from a valid request of the test models (so the server gets past routing) and breaks
 * exactly one thing.
 */
public final class HostileRequests {

    /** A valid request per task endpoint: the starting point every mutation breaks. */
    static final Map<String, String> VALID_BODIES = Map.ofEntries(
            Map.entry("tiny-bert-sentiment", "{\"inputs\": \"a fine day\"}"),
            Map.entry("tiny-roberta-multilabel", "{\"inputs\": \"a fine day\", \"parameters\": {\"top_k\": 2}}"),
            Map.entry(
                    "tiny-bert-ner",
                    "{\"inputs\": \"Ada lives in Paris\", \"parameters\": {\"aggregation_strategy\": \"simple\"}}"),
            Map.entry("tiny-bert-mlm", "{\"inputs\": \"the [MASK] is free\"}"),
            Map.entry("tiny-bert-encoder", "{\"inputs\": \"a fine day\"}"),
            Map.entry(
                    "tiny-bert-nli",
                    "{\"inputs\": \"I love music\", \"parameters\": {\"candidate_labels\": [\"music\", \"law\"]}}"),
            Map.entry("tiny-bert-qa", "{\"inputs\": {\"question\": \"Who?\", \"context\": \"Ada wrote it.\"}}"),
            Map.entry("tiny-bert-mc", "{\"inputs\": {\"question\": \"GPL is\", \"choices\": [\"free\", \"not\"]}}"),
            Map.entry(
                    "tiny-tapas",
                    "{\"inputs\": {\"table\": {\"a\": [\"1\", \"2\"], \"b\": [\"x\", \"y\"]}, \"query\": \"which a?\"}}"),
            Map.entry(
                    "tiny-gpt2",
                    "{\"inputs\": \"hello\", \"parameters\": {\"max_new_tokens\": 2, \"do_sample\": false}}"),
            Map.entry("tiny-t5", "{\"inputs\": \"hello\", \"parameters\": {\"max_new_tokens\": 2}}"),
            Map.entry("tiny-vit", "{\"inputs\": \"" + TinyMedia.PNG_DATA_URL + "\"}"),
            Map.entry("tiny-yolos", "{\"inputs\": \"" + TinyMedia.PNG_DATA_URL + "\"}"),
            Map.entry("tiny-segformer", "{\"inputs\": \"" + TinyMedia.PNG_DATA_URL + "\"}"),
            Map.entry(
                    "tiny-vilt",
                    "{\"inputs\": {\"image\": \"" + TinyMedia.PNG_DATA_URL + "\", \"question\": \"what?\"}}"),
            Map.entry("tiny-wav2vec2-audio", "{\"inputs\": \"" + TinyMedia.WAV_DATA_URL + "\"}"),
            Map.entry("tiny-wav2vec2-ctc", "{\"inputs\": \"" + TinyMedia.WAV_DATA_URL + "\"}"),
            Map.entry(
                    "tiny-whisper",
                    "{\"inputs\": \"" + TinyMedia.WAV_DATA_URL + "\", \"parameters\": {\"language\": \"en\"}}"),
            Map.entry("tiny-splade", "{\"inputs\": \"a fine day\", \"parameters\": {\"top_k\": 3}}"),
            Map.entry(
                    "tiny-cross-encoder",
                    "{\"inputs\": {\"query\": \"copy\", \"texts\": [\"a\", \"b\"]}, \"parameters\": {\"top_n\": 1}}"));

    static final List<String> TEXT_MODELS = List.of(
            "tiny-bert-sentiment",
            "tiny-roberta-multilabel",
            "tiny-bert-ner",
            "tiny-bert-mlm",
            "tiny-bert-encoder",
            "tiny-bert-nli",
            "tiny-gpt2",
            "tiny-t5");
    static final List<String> IMAGE_MODELS = List.of("tiny-vit", "tiny-yolos", "tiny-segformer");
    /**
     * Audio models whose window a few samples do not fill (a short WAV is refused); a Whisper-style
     * model pads any clip to 30 s, so it joins only the families whose bytes are no audio at all.
     */
    static final List<String> AUDIO_MODELS = List.of("tiny-wav2vec2-audio", "tiny-wav2vec2-ctc");

    static final String V2_VALID = "{\"inputs\": ["
            + "{\"name\": \"x_f32\", \"shape\": [2, 3], \"datatype\": \"FP32\", \"data\": [1, 2, 3, 4, 5, 6]},"
            + "{\"name\": \"x_f16\", \"shape\": [1, 2], \"datatype\": \"FP16\", \"data\": [0.5, -2]},"
            + "{\"name\": \"x_i64\", \"shape\": [2], \"datatype\": \"INT64\", \"data\": [1, 2]},"
            + "{\"name\": \"x_i32\", \"shape\": [2, 2], \"datatype\": \"INT32\", \"data\": [1, 2, 3, 4]},"
            + "{\"name\": \"x_bool\", \"shape\": [2], \"datatype\": \"BOOL\", \"data\": [true, false]},"
            + "{\"name\": \"x_str\", \"shape\": [2], \"datatype\": \"BYTES\", \"data\": [\"a\", \"b\"]}]}";
    static final String V2_PATH = "/v2/models/tensor-ops/infer";

    static final String COMPLETION_VALID =
            "{\"model\": \"tiny-gpt2\", \"prompt\": \"hi\", \"max_tokens\": 2, \"temperature\": 0}";
    static final String CHAT_VALID =
            "{\"model\": \"tiny-gpt2\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], "
                    + "\"max_tokens\": 2, \"temperature\": 0}";

    static final String RERANK_VALID =
            "{\"model\": \"tiny-cross-encoder\", \"query\": \"copy\", \"documents\": [\"a\", \"b\"]}";
    static final String EMBEDDINGS_VALID = "{\"model\": \"tiny-st-short\", \"input\": [\"a fine day\", \"hi\"]}";

    private HostileRequests() {}

    static String predictPath(String model) {
        return "/v1/models/" + model + "/predict";
    }

    /** Every family, weighted so that the slow ones (ffmpeg on audio garbage) stay a small share. */
    public static Arbitrary<HostileRequest> all() {
        return Arbitraries.frequencyOf(
                Tuple.of(20, malformedJson()),
                Tuple.of(5, wrongContentType()),
                Tuple.of(20, badStructure()),
                Tuple.of(15, badParameters()),
                Tuple.of(15, badTensors()),
                Tuple.of(8, badImages()),
                Tuple.of(3, badAudio()),
                Tuple.of(8, badModelNames()),
                Tuple.of(3, badTimeouts()),
                Tuple.of(6, badOpenAi()),
                Tuple.of(3, badTokenize()),
                Tuple.of(4, badVersions()),
                Tuple.of(4, badTranscriptions()));
    }

    // ---- the body is not (acceptable) JSON ----------------------------------------------------------

    /** Every route that reads a JSON body, with a valid body for it. */
    private static Arbitrary<Map.Entry<String, String>> jsonRoutes() {
        List<Map.Entry<String, String>> routes = new ArrayList<>();
        VALID_BODIES.forEach((model, body) -> routes.add(Map.entry(predictPath(model), body)));
        routes.add(Map.entry(V2_PATH, V2_VALID));
        routes.add(Map.entry("/v1/completions", COMPLETION_VALID));
        routes.add(Map.entry("/v1/chat/completions", CHAT_VALID));
        routes.add(Map.entry("/v1/embeddings", EMBEDDINGS_VALID));
        routes.add(Map.entry("/v1/rerank", RERANK_VALID));
        routes.add(Map.entry("/v1/models/tiny-st-short/tokenize", "{\"inputs\": \"a fine day\"}"));
        routes.add(Map.entry("/v1/models/tiny-st-short/detokenize", "{\"ids\": [2, 3]}"));
        return Arbitraries.of(routes);
    }

    static Arbitrary<HostileRequest> malformedJson() {
        return jsonRoutes().flatMap(route -> {
            String path = route.getKey();
            byte[] valid = route.getValue().getBytes(StandardCharsets.UTF_8);
            return Arbitraries.oneOf(
                    Arbitraries.of(
                                    "",
                                    " ",
                                    "\n\t ",
                                    "{",
                                    "}",
                                    "{\"inputs\": }",
                                    "{inputs: \"x\"}",
                                    "{'inputs': 'x'}",
                                    "<xml/>",
                                    "inputs=x",
                                    "{\"inputs\": \"x\",}",
                                    "{\"inputs\": \"x\"}}",
                                    "[",
                                    "\"")
                            .map(s -> new HostileRequest(
                                    "json.garbage", path, "application/json", s.getBytes(StandardCharsets.UTF_8))),
                    Arbitraries.integers()
                            .between(1, valid.length - 1)
                            .map(cut -> new HostileRequest(
                                    "json.truncated", path, "application/json", Arrays.copyOf(valid, cut))),
                    Arbitraries.of(
                                    new byte[] {(byte) 0xFF},
                                    new byte[] {(byte) 0xFE},
                                    new byte[] {(byte) 0x80},
                                    new byte[] {(byte) 0xC3, 0x28},
                                    new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80})
                            .map(bad -> new HostileRequest(
                                    "json.invalid-utf8", path, "application/json", insertIntoFirstString(valid, bad))),
                    Arbitraries.integers()
                            .between(0, 0x1F)
                            .map(c -> new HostileRequest(
                                    "json.control-char",
                                    path,
                                    "application/json",
                                    insertIntoFirstString(valid, new byte[] {(byte) (int) c}))),
                    Arbitraries.of("NaN", "Infinity", "-Infinity", "+1", "01", ".5", "1.", "0x10", "undefined")
                            .map(token -> HostileRequest.json(
                                    "json.non-standard-number", path, replaceFirstValue(route.getValue(), token))),
                    Arbitraries.integers()
                            .between(65, 5000)
                            .map(depth -> HostileRequest.json(
                                    "json.deep", path, "{\"inputs\": " + "[".repeat(depth) + "]".repeat(depth) + "}")),
                    Arbitraries.integers()
                            .between(101, 20_000)
                            .map(digits -> HostileRequest.json(
                                    "json.huge-number", path, replaceFirstValue(route.getValue(), "9".repeat(digits)))),
                    Arbitraries.of("[]", "123", "\"x\"", "null", "true", "[{\"inputs\": \"x\"}]", "-0.5e3")
                            .map(s -> HostileRequest.json("json.not-an-object", path, s)));
        });
    }

    /** The valid body with {@code bad} bytes put inside its first string value. */
    private static byte[] insertIntoFirstString(byte[] valid, byte[] bad) {
        String text = new String(valid, StandardCharsets.UTF_8);
        int colon = text.indexOf(": \"");
        int at = colon < 0 ? text.indexOf('"') + 1 : colon + 3;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] head = text.substring(0, at).getBytes(StandardCharsets.UTF_8);
        byte[] tail = text.substring(at).getBytes(StandardCharsets.UTF_8);
        out.writeBytes(head);
        out.writeBytes(bad);
        out.writeBytes(tail);
        return out.toByteArray();
    }

    /** The valid body with its first value (after the first colon) replaced by a raw token. */
    private static String replaceFirstValue(String valid, String token) {
        int colon = valid.indexOf(':');
        int end = valueEnd(valid, colon + 1);
        return valid.substring(0, colon + 1) + " " + token + valid.substring(end);
    }

    private static int valueEnd(String json, int from) {
        int i = from;
        while (json.charAt(i) == ' ') {
            i++;
        }
        int depth = 0;
        boolean inString = false;
        for (; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                    if (depth == 0) {
                        return i + 1;
                    }
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (depth == 0) {
                    return i;
                }
                depth--;
                if (depth == 0) {
                    return i + 1;
                }
            } else if (c == ',' && depth == 0) {
                return i;
            }
        }
        return json.length();
    }

    static Arbitrary<HostileRequest> wrongContentType() {
        return Combinators.combine(
                        Arbitraries.of(TEXT_MODELS),
                        Arbitraries.of(
                                "text/plain",
                                "application/xml",
                                "application/x-www-form-urlencoded",
                                "multipart/form-data; boundary=x",
                                "image/png",
                                "audio/wav",
                                "application/octet-stream"))
                .as((model, type) -> new HostileRequest(
                        "content-type",
                        predictPath(model),
                        type,
                        VALID_BODIES.get(model).getBytes(StandardCharsets.UTF_8)));
    }

    // ---- well-formed JSON, wrong structure for the task ----------------------------------------------

    static Arbitrary<HostileRequest> badStructure() {
        Arbitrary<HostileRequest> everyTask = Combinators.combine(
                        Arbitraries.of(VALID_BODIES.keySet()),
                        Arbitraries.of(
                                "{}",
                                "{\"parameters\": {}}",
                                "{\"inputs\": null}",
                                "{\"inputs\": 42}",
                                "{\"inputs\": true}",
                                "{\"inputs\": \"x\", \"parameters\": 5}",
                                "{\"inputs\": \"x\", \"parameters\": \"top_k=1\"}",
                                "{\"inputs\": \"x\", \"parameters\": []}",
                                "{\"inputs\": [[[\"x\"]]]}",
                                "{\"inputs\": [" + "\"x\",".repeat(300) + "\"x\"]}",
                                "{\"inputs\": [42, \"x\"]}",
                                "{\"inputs\": [null]}"))
                .as((model, body) -> HostileRequest.json("structure.generic", predictPath(model), body));
        Arbitrary<HostileRequest> text = Combinators.combine(
                        Arbitraries.of(TEXT_MODELS),
                        Arbitraries.of(
                                "{\"inputs\": {\"nope\": 1}}",
                                "{\"inputs\": [{\"a\": 1}]}",
                                "{\"inputs\": [[\"x\", 1]]}"))
                .as((model, body) -> HostileRequest.json("structure.text", predictPath(model), body));
        Arbitrary<HostileRequest> pairs = Arbitraries.of(
                HostileRequest.json("structure.qa", predictPath("tiny-bert-qa"), "{\"inputs\": \"Who? Ada.\"}"),
                HostileRequest.json(
                        "structure.qa", predictPath("tiny-bert-qa"), "{\"inputs\": {\"question\": \"Who?\"}}"),
                HostileRequest.json(
                        "structure.qa", predictPath("tiny-bert-qa"), "{\"inputs\": {\"context\": \"Ada.\"}}"),
                HostileRequest.json(
                        "structure.qa",
                        predictPath("tiny-bert-qa"),
                        "{\"inputs\": {\"question\": 5, \"context\": \"Ada.\"}}"),
                HostileRequest.json(
                        "structure.qa",
                        predictPath("tiny-bert-qa"),
                        "{\"inputs\": {\"question\": \"Who?\", \"context\": [\"Ada\"]}}"),
                HostileRequest.json(
                        "structure.mc",
                        predictPath("tiny-bert-mc"),
                        "{\"inputs\": {\"question\": \"q\", \"choices\": []}}"),
                HostileRequest.json(
                        "structure.mc",
                        predictPath("tiny-bert-mc"),
                        "{\"inputs\": {\"question\": \"q\", \"choices\": \"a\"}}"),
                HostileRequest.json(
                        "structure.mc",
                        predictPath("tiny-bert-mc"),
                        "{\"inputs\": {\"question\": \"q\", \"choices\": [1, 2]}}"),
                HostileRequest.json(
                        "structure.mc", predictPath("tiny-bert-mc"), "{\"inputs\": {\"choices\": [\"a\", \"b\"]}}"),
                HostileRequest.json(
                        "structure.table",
                        predictPath("tiny-tapas"),
                        "{\"inputs\": {\"table\": {\"a\": [\"1\"], \"b\": []}, \"query\": \"q\"}}"),
                HostileRequest.json(
                        "structure.table",
                        predictPath("tiny-tapas"),
                        "{\"inputs\": {\"table\": [[\"1\"]], \"query\": \"q\"}}"),
                HostileRequest.json(
                        "structure.table",
                        predictPath("tiny-tapas"),
                        "{\"inputs\": {\"table\": {\"a\": \"1\"}, \"query\": \"q\"}}"),
                HostileRequest.json(
                        "structure.table", predictPath("tiny-tapas"), "{\"inputs\": {\"table\": {\"a\": [\"1\"]}}}"),
                HostileRequest.json(
                        "structure.table",
                        predictPath("tiny-tapas"),
                        "{\"inputs\": {\"table\": {\"a\": [{\"x\": 1}]}, \"query\": \"q\"}}"),
                HostileRequest.json("structure.nli", predictPath("tiny-bert-nli"), "{\"inputs\": \"x\"}"),
                HostileRequest.json(
                        "structure.nli",
                        predictPath("tiny-bert-nli"),
                        "{\"inputs\": \"x\", \"parameters\": {\"candidate_labels\": []}}"),
                HostileRequest.json(
                        "structure.nli",
                        predictPath("tiny-bert-nli"),
                        "{\"inputs\": \"x\", \"parameters\": {\"candidate_labels\": 5}}"),
                HostileRequest.json(
                        "structure.mask", predictPath("tiny-bert-mlm"), "{\"inputs\": \"no mask token here\"}"),
                HostileRequest.json(
                        "structure.vqa",
                        predictPath("tiny-vilt"),
                        "{\"inputs\": {\"image\": \"" + TinyMedia.PNG_DATA_URL + "\"}}"),
                HostileRequest.json(
                        "structure.vqa", predictPath("tiny-vilt"), "{\"inputs\": {\"question\": \"what?\"}}"),
                HostileRequest.json("structure.vqa", predictPath("tiny-vilt"), "{\"inputs\": \"what?\"}"));
        Arbitrary<HostileRequest> mediaInJson = Combinators.combine(
                        Arbitraries.of(
                                IMAGE_MODELS.get(0),
                                IMAGE_MODELS.get(1),
                                IMAGE_MODELS.get(2),
                                AUDIO_MODELS.get(0),
                                AUDIO_MODELS.get(1),
                                "tiny-whisper"),
                        Arbitraries.of(
                                "not base64 at all!",
                                "data:image/png;base64,!!!!",
                                "data:;base64,",
                                "data:image/png,raw",
                                "http://169.254.169.254/latest/meta-data",
                                "https://example.com/a.png",
                                "file:///etc/passwd",
                                "/etc/passwd",
                                "../../etc/passwd",
                                "QUJD",
                                ""))
                .as((model, value) -> HostileRequest.json(
                        "structure.media-string", predictPath(model), "{\"inputs\": \"" + value + "\"}"));
        return Arbitraries.oneOf(everyTask, text, pairs, mediaInJson);
    }

    // ---- well-formed request, a parameter of the wrong type or out of range ---------------------------

    private record ParameterCase(String model, String name, List<String> badValues) {}

    private static final List<String> NOT_AN_INTEGER = List.of("\"x\"", "-1", "1.5", "true", "[]", "{}");
    private static final List<String> NOT_A_NUMBER = List.of("\"x\"", "true", "[]", "{}");

    private static final List<ParameterCase> PARAMETER_CASES = List.of(
            new ParameterCase("tiny-bert-sentiment", "top_k", NOT_AN_INTEGER),
            new ParameterCase("tiny-bert-sentiment", "function_to_apply", List.of("\"cube\"", "5", "[]")),
            new ParameterCase("tiny-bert-ner", "aggregation_strategy", List.of("\"bogus\"", "5", "[]", "{}")),
            new ParameterCase("tiny-bert-ner", "ignore_labels", List.of("5", "{}", "[5]")),
            new ParameterCase("tiny-bert-mlm", "top_k", NOT_AN_INTEGER),
            new ParameterCase("tiny-bert-mlm", "targets", List.of("5", "{}", "[5]", "[]")),
            new ParameterCase("tiny-bert-encoder", "pooling", List.of("\"bogus\"", "5")),
            new ParameterCase("tiny-bert-encoder", "normalize", List.of("\"yes\"", "5", "[]")),
            new ParameterCase("tiny-bert-nli", "multi_label", List.of("\"maybe\"", "5", "[]")),
            new ParameterCase("tiny-bert-nli", "hypothesis_template", List.of("5", "[]", "\"no placeholder\"")),
            new ParameterCase("tiny-bert-qa", "top_k", NOT_AN_INTEGER),
            new ParameterCase("tiny-bert-qa", "doc_stride", List.of("\"x\"", "-1", "1.5", "[]")),
            new ParameterCase("tiny-bert-qa", "max_answer_len", List.of("\"x\"", "-1", "0", "[]")),
            new ParameterCase("tiny-bert-qa", "max_seq_len", List.of("\"x\"", "-1", "1", "100000")),
            new ParameterCase("tiny-bert-qa", "handle_impossible_answer", List.of("\"x\"", "5")),
            new ParameterCase("tiny-gpt2", "max_new_tokens", List.of("\"x\"", "-1", "1.5", "1000000000", "[]")),
            new ParameterCase("tiny-gpt2", "temperature", List.of("\"hot\"", "-1", "[]")),
            new ParameterCase("tiny-gpt2", "top_p", List.of("\"x\"", "1.5", "-0.1")),
            new ParameterCase("tiny-gpt2", "top_k", NOT_AN_INTEGER),
            new ParameterCase("tiny-gpt2", "repetition_penalty", List.of("\"x\"", "0", "-1")),
            new ParameterCase("tiny-gpt2", "do_sample", List.of("\"yes\"", "5")),
            new ParameterCase("tiny-gpt2", "seed", List.of("\"x\"", "1.5", "[]")),
            new ParameterCase("tiny-gpt2", "stop", List.of("5", "{}", "[5]")),
            new ParameterCase("tiny-gpt2", "no_repeat_ngram_size", List.of("\"x\"", "-1", "1.5", "[]")),
            new ParameterCase("tiny-gpt2", "min_new_tokens", List.of("\"x\"", "-1", "{}")),
            new ParameterCase(
                    "tiny-gpt2", "bad_words_ids", List.of("5", "[]", "[[]]", "[[-1]]", "[[\"x\"]]", "[[99999999]]")),
            new ParameterCase("tiny-gpt2", "suppress_tokens", List.of("\"x\"", "[-1]", "[50257]", "[1.5]")),
            new ParameterCase("tiny-gpt2", "forced_eos_token_id", List.of("\"x\"", "-1", "50257")),
            new ParameterCase(
                    "tiny-gpt2", "exponential_decay_length_penalty", List.of("5", "[]", "[1]", "[-1, 1.5]", "[1, 0]")),
            new ParameterCase("tiny-gpt2", "num_return_sequences", List.of("\"x\"", "0", "1000", "2")),
            new ParameterCase("tiny-gpt2", "num_beams", List.of("2", "\"x\"")),
            new ParameterCase("tiny-gpt2", "max_length", List.of("10")),
            new ParameterCase("tiny-t5", "num_beams", List.of("\"x\"", "0", "-1", "1.5")),
            new ParameterCase("tiny-t5", "num_return_sequences", List.of("5", "0")),
            new ParameterCase("tiny-t5", "max_new_tokens", List.of("\"x\"", "-1", "1000000000")),
            new ParameterCase("tiny-vit", "top_k", NOT_AN_INTEGER),
            new ParameterCase("tiny-yolos", "threshold", NOT_A_NUMBER),
            new ParameterCase("tiny-segformer", "threshold", NOT_A_NUMBER),
            new ParameterCase("tiny-wav2vec2-audio", "top_k", NOT_AN_INTEGER),
            new ParameterCase("tiny-wav2vec2-ctc", "return_timestamps", List.of("\"maybe\"", "5", "[]")),
            new ParameterCase("tiny-wav2vec2-ctc", "chunk_length_s", List.of("\"x\"", "-1", "[]")),
            new ParameterCase(
                    "tiny-wav2vec2-ctc",
                    "stride_length_s",
                    List.of("\"x\"", "-1", "[]", "[1]", "[0.1, -1]", "[0.1, \"x\"]")),
            new ParameterCase("tiny-vilt", "top_k", NOT_AN_INTEGER),
            new ParameterCase("tiny-whisper", "language", List.of("\"xx\"", "5", "[]", "\"<|zz|>\"")),
            new ParameterCase("tiny-whisper", "task", List.of("\"summarise\"", "1")),
            new ParameterCase("tiny-whisper", "num_beams", List.of("0", "99", "\"x\"")),
            new ParameterCase("tiny-whisper", "max_new_tokens", List.of("-1", "1000000000", "\"x\"")),
            new ParameterCase("tiny-whisper", "return_timestamps", List.of("\"word\"", "\"yes\"", "5", "[]")),
            new ParameterCase("tiny-whisper", "chunk_length_s", List.of("45", "\"x\"", "-1")),
            new ParameterCase("tiny-whisper", "stride_length_s", List.of("[1, 2, 3]", "\"x\"", "-1")),
            new ParameterCase("tiny-whisper", "prompt", List.of("\"<|en|> digits\"", "5", "[]")));

    static Arbitrary<HostileRequest> badParameters() {
        return Arbitraries.of(PARAMETER_CASES)
                .flatMap(c -> Arbitraries.of(c.badValues()).map(value -> {
                    // the valid body without its own value of the parameter, then the bad one
                    String valid = VALID_BODIES
                            .get(c.model())
                            .replaceAll("\"" + c.name() + "\": [^,}]+(, )?", "")
                            .replace(", }", "}");
                    String body = valid.contains("\"parameters\": {")
                            ? valid.replace(
                                    "\"parameters\": {", "\"parameters\": {\"" + c.name() + "\": " + value + ", ")
                            : valid.substring(0, valid.length() - 1) + ", \"parameters\": {\"" + c.name() + "\": "
                                    + value + "}}";
                    return HostileRequest.json(
                            "parameter." + c.name(), predictPath(c.model()), body.replace(", }", "}"));
                }));
    }

    // ---- Open Inference Protocol tensors that do not fit the model -----------------------------------

    static Arbitrary<HostileRequest> badTensors() {
        Arbitrary<String> x = Arbitraries.oneOf(
                Arbitraries.strings()
                        .alpha()
                        .ofMinLength(1)
                        .ofMaxLength(12)
                        .filter(n -> !n.startsWith("x_"))
                        .map(n -> V2_VALID.replace("\"x_f32\"", "\"" + n + "\"")),
                Arbitraries.of(
                                "[-1, 3]",
                                "[2, -3]",
                                "[\"2\", 3]",
                                "[2.5, 3]",
                                "[2, 3, 1, 1, 1, 1, 1, 1, 9]",
                                "[3]",
                                "[]",
                                "\"2x3\"",
                                "null",
                                "[2, 4]",
                                "[3, 3]",
                                "[0, 3]",
                                "[1e3, 3]")
                        .map(shape ->
                                V2_VALID.replace("[2, 3], \"datatype\": \"FP32\"", shape + ", \"datatype\": \"FP32\"")),
                Arbitraries.of("\"FP64\"", "\"fp32\"", "\"FLOAT\"", "\"\"", "5", "null", "\"INT64\"", "\"BYTES\"")
                        .map(type -> V2_VALID.replace("\"datatype\": \"FP32\"", "\"datatype\": " + type)),
                Arbitraries.of(
                                "[1, 2, 3, 4, 5]",
                                "[1, 2, 3, 4, 5, 6, 7]",
                                "[\"1\", 2, 3, 4, 5, 6]",
                                "[\"NaN\", 2, 3, 4, 5, 6]",
                                "[null, 2, 3, 4, 5, 6]",
                                "[{}, 2, 3, 4, 5, 6]",
                                "[true, 2, 3, 4, 5, 6]",
                                "\"123456\"",
                                "null",
                                "{}",
                                "[[1, 2, 3], [4, 5]]",
                                "[1e400, 2, 3, 4, 5, 6]")
                        .map(data -> V2_VALID.replace("[1, 2, 3, 4, 5, 6]", data)),
                Arbitraries.of("[2147483648, 2, 3, 4]", "[-2147483649, 2, 3, 4]", "[1.5, 2, 3, 4]", "[\"1\", 2, 3, 4]")
                        .map(data -> V2_VALID.replace("[1, 2, 3, 4]", data)),
                Arbitraries.of("[1, 0]", "[\"true\", false]", "[null, false]")
                        .map(data -> V2_VALID.replace("[true, false]", data)),
                Arbitraries.of("[1, 2]", "[[\"a\"], \"b\"]", "[null, \"b\"]")
                        .map(data -> V2_VALID.replace("[\"a\", \"b\"]", data)),
                Arbitraries.of(
                        V2_VALID.replace(
                                "{\"name\": \"x_bool\", \"shape\": [2], \"datatype\": \"BOOL\", \"data\": [true, false]},",
                                ""),
                        V2_VALID.replace(
                                "{\"inputs\": [",
                                "{\"inputs\": [{\"name\": \"x_bool\", \"shape\": [2], \"datatype\": \"BOOL\", \"data\": [true, false]},"),
                        V2_VALID.replace("\"data\": [1, 2, 3, 4, 5, 6]", "\"parameters\": {\"binary_data_size\": 24}"),
                        V2_VALID.replace(
                                "\"data\": [1, 2, 3, 4, 5, 6]", "\"parameters\": {\"binary_data_size\": \"x\"}"),
                        V2_VALID.replace(
                                "\"data\": [1, 2, 3, 4, 5, 6]",
                                "\"data\": [1, 2, 3, 4, 5, 6], \"parameters\": {\"binary_data_size\": 24}"),
                        V2_VALID.substring(0, V2_VALID.length() - 1) + ", \"outputs\": [{\"name\": \"nope\"}]}",
                        V2_VALID.substring(0, V2_VALID.length() - 1) + ", \"outputs\": 5}",
                        "{\"inputs\": {}}",
                        "{\"inputs\": []}",
                        "{\"inputs\": [5]}",
                        "{\"inputs\": [{}]}"));
        Arbitrary<HostileRequest> routes = Arbitraries.of(
                HostileRequest.json("tensor.route", "/v2/models/tensor-ops/versions/7/infer", V2_VALID),
                HostileRequest.json("tensor.route", "/v2/models/tensor-ops/versions/abc/infer", V2_VALID),
                HostileRequest.json("tensor.route", "/v2/models/no-such-model/infer", V2_VALID),
                HostileRequest.json("tensor.route", "/v2/models/broken-onnx/infer", V2_VALID));
        Arbitrary<HostileRequest> binary = Arbitraries.integers()
                .between(0, 200)
                .map(extra -> {
                    String header = V2_VALID.replace(
                            "\"data\": [1, 2, 3, 4, 5, 6]", "\"parameters\": {\"binary_data_size\": 24}");
                    byte[] json = header.getBytes(StandardCharsets.UTF_8);
                    byte[] body = Arrays.copyOf(json, json.length + (extra == 24 ? 23 : extra));
                    return new HostileRequest("tensor.binary", V2_PATH, "application/octet-stream", body)
                            .withHeader("Inference-Header-Content-Length", Integer.toString(json.length));
                });
        return Arbitraries.oneOf(x.map(body -> HostileRequest.json("tensor.json", V2_PATH, body)), routes, binary);
    }

    // ---- image and audio bytes that are corrupt or lie ------------------------------------------------

    static Arbitrary<HostileRequest> badImages() {
        Arbitrary<byte[]> bytes = Arbitraries.oneOf(
                Arbitraries.bytes()
                        .array(byte[].class)
                        .ofMinSize(0)
                        .ofMaxSize(512)
                        .filter(b -> !TinyMedia.looksLikeAnImage(b)),
                Arbitraries.integers()
                        .between(1, TinyMedia.PNG.length / 2)
                        .map(cut -> Arrays.copyOf(TinyMedia.PNG, cut)),
                Combinators.combine(
                                Arbitraries.integers().between(6_325, 1 << 16),
                                Arbitraries.integers().between(6_325, 1 << 16))
                        .as(TinyMedia::pngHeaderOnly),
                Arbitraries.of(
                        TinyMedia.pngHeaderOnly(0, 10),
                        TinyMedia.pngHeaderOnly(10, 0),
                        TinyMedia.pngHeaderOnly(Integer.MAX_VALUE, Integer.MAX_VALUE),
                        new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xD9},
                        "GIF89a".getBytes(StandardCharsets.US_ASCII),
                        "GIF89a\u00ff\u00ff\u00ff\u00ff".getBytes(StandardCharsets.ISO_8859_1),
                        "BM".getBytes(StandardCharsets.US_ASCII),
                        "RIFF\u0010\u0000\u0000\u0000WEBPVP8 ".getBytes(StandardCharsets.ISO_8859_1),
                        TinyMedia.WAV));
        return Combinators.combine(
                        Arbitraries.of(IMAGE_MODELS),
                        Arbitraries.of("image/png", "image/jpeg", "image/gif", "image/webp"),
                        bytes)
                .as((model, type, body) -> new HostileRequest("image.bytes", predictPath(model), type, body));
    }

    static Arbitrary<HostileRequest> badAudio() {
        Arbitrary<byte[]> bytes = Arbitraries.oneOf(
                // no 0xFF: MP3 and AAC frames start with a 0xFF sync word, which ffmpeg may find
                // in noise and decode (a 200); without it, noise cannot pass for audio
                Arbitraries.bytes()
                        .filter(b -> b != (byte) 0xFF)
                        .array(byte[].class)
                        .ofMinSize(0)
                        .ofMaxSize(256)
                        .filter(b -> b.length < 4 || !new String(b, 0, 4, StandardCharsets.ISO_8859_1).equals("RIFF")),
                Arbitraries.of(
                        TinyMedia.wav(16_000, 0, 16, 1, 800), // no channels
                        TinyMedia.wav(0, 1, 16, 1, 800), // no rate
                        TinyMedia.wav(16_000, 1, 16, 1, 10), // shorter than the model's window
                        TinyMedia.wav(16_000, 1, 16, 1, 0), // no samples
                        TinyMedia.wav(44_101, 1, 16, 1, 800), // a rate that needs a gigabyte filter
                        TinyMedia.wavClaiming(0x7FFF_FFFFL, 20), // 2 GiB declared, 40 bytes sent
                        "RIFF\u0004\u0000\u0000\u0000WAVE".getBytes(StandardCharsets.ISO_8859_1),
                        TinyMedia.PNG));
        return Combinators.combine(
                        Arbitraries.of(AUDIO_MODELS),
                        Arbitraries.of("audio/wav", "audio/x-wav", "audio/flac", "audio/mpeg"),
                        bytes)
                .as((model, type, body) -> new HostileRequest("audio.bytes", predictPath(model), type, body));
    }

    // ---- model names that try to leave the models folder ----------------------------------------------

    // ---- versions: pins, routing keys ---------------------------------------------------------------------

    /** The model with two versions and a split, whose valid request every mutation starts from. */
    static final String VERSIONED = "ab-sentiment";

    /**
     * Versions that are not served or are no version at all, in the path and in X-Model-Version;
     * routing keys that are not strings or too long, in the body and in X-Routing-Key.
     */
    static Arbitrary<HostileRequest> badVersions() {
        Arbitrary<String> versions = Arbitraries.oneOf(
                Arbitraries.of(
                        "0", "3", "-1", "1.0", "01x", "99999999999999999999", "%00", "latest", "%E2%80%8B1", "1%20"),
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(80));
        String valid = "{\"inputs\": \"a fine day\"}";
        Arbitrary<HostileRequest> paths = versions.map(v ->
                HostileRequest.json("version.path", "/v1/models/" + VERSIONED + "/versions/" + v + "/predict", valid));
        Arbitrary<HostileRequest> pins = Arbitraries.of("0", "3", "-1", "latest", "1 2", "x".repeat(300))
                .map(v -> HostileRequest.json("version.header", predictPath(VERSIONED), valid)
                        .withHeader("X-Model-Version", v));
        Arbitrary<HostileRequest> keys = Arbitraries.oneOf(
                Arbitraries.of("5", "null", "{}", "[\"a\"]", "true", "\"" + "k".repeat(257) + "\"")
                        .map(key -> HostileRequest.json(
                                "version.routing-key-field",
                                predictPath(VERSIONED),
                                "{\"inputs\": \"a fine day\", \"routing_key\": " + key + "}")),
                Arbitraries.strings()
                        .withCharRange('a', 'z')
                        .ofMinLength(257)
                        .ofMaxLength(2000)
                        .map(key -> HostileRequest.json("version.routing-key-header", predictPath(VERSIONED), valid)
                                .withHeader("X-Routing-Key", key)));
        return Arbitraries.oneOf(paths, pins, keys);
    }

    static Arbitrary<HostileRequest> badModelNames() {
        Arbitrary<String> names = Arbitraries.oneOf(
                Arbitraries.of(
                        "..",
                        "%2e%2e",
                        "%2E%2E",
                        ".%2e",
                        "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
                        "..%2F..%2Fetc%2Fpasswd",
                        "%2Fetc%2Fpasswd",
                        "%252e%252e%252f",
                        "....%2F%2F",
                        "tiny-vit%00",
                        "tiny-vit%00.onnx",
                        "%00",
                        "tiny-vit%2F..%2Fsleepy",
                        "..%5C..%5Cwindows",
                        "C:%5Cwindows",
                        "~root",
                        "%7Eroot",
                        "TINY-VIT",
                        "tiny%E2%80%8B-vit",
                        "%EF%BD%94%EF%BD%89%EF%BD%8E%EF%BD%99-vit",
                        "tiny-vit%E2%80%AE",
                        "tiny-v%D1%96t",
                        "%C0%AE%C0%AE",
                        "%E2%80%A4%E2%80%A4",
                        "x".repeat(65),
                        "-tiny-vit",
                        ".hidden",
                        "a%20b",
                        "tiny-vit%0d%0aX:%201"),
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(66).ofMaxLength(300));
        // A literal ".." (or ".%2e") segment is resolved by the client or server before routing
        // (RFC 3986), so on GET /v2/models/.. it names the server metadata: only POSTs get those.
        return Combinators.combine(names, Arbitraries.of("predict", "infer", "metadata"))
                .filter((name, route) -> !(route.equals("metadata")
                        && name.replace("%2e", ".").replace("%2E", ".").equals("..")))
                .as((name, route) -> switch (route) {
                    case "predict" ->
                        HostileRequest.json("name.predict", "/v1/models/" + name + "/predict", "{\"inputs\": \"x\"}");
                    case "infer" -> HostileRequest.json("name.infer", "/v2/models/" + name + "/infer", V2_VALID);
                    default -> HostileRequest.get("name.metadata", "/v2/models/" + name);
                });
    }

    static Arbitrary<HostileRequest> badTimeouts() {
        Arbitrary<HostileRequest> parameter = Combinators.combine(
                        Arbitraries.of("tiny-bert-sentiment", "tiny-vit"),
                        Arbitraries.of("\"x\"", "-5", "1.5", "[]", "99999999999999999999"))
                .as((model, value) -> {
                    String valid = VALID_BODIES.get(model);
                    return HostileRequest.json(
                            "parameter.timeout_ms",
                            predictPath(model),
                            valid.substring(0, valid.length() - 1) + ", \"parameters\": {\"timeout_ms\": " + value
                                    + "}}");
                });
        Arbitrary<HostileRequest> header = Combinators.combine(
                        Arbitraries.of("tiny-bert-sentiment", "tiny-vit"),
                        Arbitraries.of("x", "-5", "1.5", "99999999999999999999", "0x10"))
                .as((model, value) -> HostileRequest.json("header.timeout", predictPath(model), VALID_BODIES.get(model))
                        .withHeader("X-Timeout-Ms", value));
        return Arbitraries.oneOf(parameter, header);
    }

    // ---- OpenAI-compatible routes ----------------------------------------------------------------------

    static Arbitrary<HostileRequest> badOpenAi() {
        Arbitrary<HostileRequest> completions = Arbitraries.of(
                        "{\"prompt\": \"hi\"}",
                        "{\"model\": \"nope\", \"prompt\": \"hi\"}",
                        "{\"model\": 5, \"prompt\": \"hi\"}",
                        "{\"model\": \"tiny-bert-sentiment\", \"prompt\": \"hi\"}",
                        "{\"model\": \"tiny-gpt2\"}",
                        "{\"model\": \"tiny-gpt2\", \"prompt\": 5}",
                        "{\"model\": \"tiny-gpt2\", \"prompt\": \"hi\", \"max_tokens\": -1}",
                        "{\"model\": \"tiny-gpt2\", \"prompt\": \"hi\", \"max_tokens\": \"x\"}",
                        "{\"model\": \"tiny-gpt2\", \"prompt\": \"hi\", \"temperature\": \"x\"}",
                        "{\"model\": \"tiny-gpt2\", \"prompt\": \"hi\", \"top_p\": 7}",
                        "{\"model\": \"tiny-gpt2\", \"prompt\": \"hi\", \"stream\": \"yes\"}",
                        "{\"model\": \"tiny-gpt2\", \"prompt\": \"hi\", \"stop\": 5}",
                        "{\"model\": \"tiny-gpt2\", \"prompt\": \"hi\", \"max_tokens\": 1000000000}")
                .map(body -> HostileRequest.json("openai.completion", "/v1/completions", body));
        Arbitrary<HostileRequest> chat = Arbitraries.of(
                        "{\"model\": \"tiny-gpt2\"}",
                        "{\"model\": \"tiny-gpt2\", \"messages\": \"hi\"}",
                        "{\"model\": \"tiny-gpt2\", \"messages\": []}",
                        "{\"model\": \"tiny-gpt2\", \"messages\": [5]}",
                        "{\"model\": \"tiny-gpt2\", \"messages\": [{\"content\": \"hi\"}]}",
                        "{\"model\": \"tiny-gpt2\", \"messages\": [{\"role\": \"user\"}]}",
                        "{\"model\": \"tiny-gpt2\", \"messages\": [{\"role\": \"user\", \"content\": 5}]}",
                        "{\"model\": \"tiny-gpt2\", \"messages\": [{\"role\": 5, \"content\": \"hi\"}]}",
                        "{\"model\": \"tiny-gpt2\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"max_tokens\": -3}")
                .map(body -> HostileRequest.json("openai.chat", "/v1/chat/completions", body));
        Arbitrary<HostileRequest> embeddings = Arbitraries.of(
                        "{\"input\": \"hi\"}",
                        "{\"model\": \"nope\", \"input\": \"hi\"}",
                        "{\"model\": \"tiny-bert-sentiment\", \"input\": \"hi\"}",
                        "{\"model\": \"tiny-st-short\"}",
                        "{\"model\": \"tiny-st-short\", \"input\": []}",
                        "{\"model\": \"tiny-st-short\", \"input\": \"\"}",
                        "{\"model\": \"tiny-st-short\", \"input\": [\"hi\", 5]}",
                        "{\"model\": \"tiny-st-short\", \"input\": [1, \"x\"]}",
                        "{\"model\": \"tiny-st-short\", \"input\": [-1, 2]}",
                        "{\"model\": \"tiny-st-short\", \"input\": [[99999999999]]}",
                        "{\"model\": \"tiny-st-short\", \"input\": [[]]}",
                        "{\"model\": \"tiny-st-short\", \"input\": [{\"text\": \"hi\"}]}",
                        "{\"model\": \"tiny-st-short\", \"input\": \"hi\", \"encoding_format\": \"int8\"}",
                        "{\"model\": \"tiny-st-short\", \"input\": \"hi\", \"dimensions\": 8}",
                        "{\"model\": \"tiny-st-prompts\", \"input\": \"hi\", \"dimensions\": 0}",
                        "{\"model\": \"tiny-st-prompts\", \"input\": \"hi\", \"dimensions\": 100000}",
                        "{\"model\": \"tiny-st-prompts\", \"input\": \"hi\", \"prompt_name\": \"nope\"}",
                        "{\"model\": \"tiny-st-short\", \"input\": \"hi\", \"truncate\": \"no\"}",
                        "{\"model\": \"tiny-st-short\", \"input\": \"hi\", \"user\": 5}",
                        "{\"model\": \"tiny-st-short\", \"input\": \"hi\", \"temperature\": 1}")
                .map(body -> HostileRequest.json("openai.embeddings", "/v1/embeddings", body));
        Arbitrary<HostileRequest> rerank = Arbitraries.of(
                        "{\"query\": \"q\", \"documents\": [\"a\"]}",
                        "{\"model\": \"tiny-st-short\", \"query\": \"q\", \"documents\": [\"a\"]}",
                        "{\"model\": \"nope\", \"query\": \"q\", \"documents\": [\"a\"]}",
                        "{\"model\": \"tiny-cross-encoder\", \"documents\": [\"a\"]}",
                        "{\"model\": \"tiny-cross-encoder\", \"query\": 5, \"documents\": [\"a\"]}",
                        "{\"model\": \"tiny-cross-encoder\", \"query\": \"q\"}",
                        "{\"model\": \"tiny-cross-encoder\", \"query\": \"q\", \"documents\": \"a\"}",
                        "{\"model\": \"tiny-cross-encoder\", \"query\": \"q\", \"documents\": [[\"a\"]]}",
                        "{\"model\": \"tiny-cross-encoder\", \"query\": \"q\", \"documents\": [{\"title\": \"a\"}]}",
                        "{\"model\": \"tiny-cross-encoder\", \"query\": \"q\", \"documents\": [\"a\"], \"top_n\": -1}",
                        "{\"model\": \"tiny-cross-encoder\", \"query\": \"q\", \"documents\": [\"a\"], \"top_n\": \"x\"}",
                        "{\"model\": \"tiny-cross-encoder\", \"query\": \"q\", \"documents\": [\"a\"], \"return_documents\": 1}",
                        "{\"model\": \"tiny-cross-encoder\", \"query\": \"q\", \"documents\": [\"a\"], \"max_chunks_per_doc\": 2}")
                .map(body -> HostileRequest.json("rerank", "/v1/rerank", body));
        return Arbitraries.oneOf(completions, chat, embeddings, rerank);
    }

    // ---- tokenize / detokenize ---------------------------------------------------------------------------

    static Arbitrary<HostileRequest> badTokenize() {
        Arbitrary<HostileRequest> tokenize = Combinators.combine(
                        Arbitraries.of("tiny-st-short", "tiny-gpt2", "tiny-vit", "tensor-ops", "nope"),
                        Arbitraries.of(
                                "{}",
                                "{\"inputs\": 5}",
                                "{\"inputs\": []}",
                                "{\"inputs\": [[\"x\"]]}",
                                "{\"inputs\": \"x\", \"add_special_tokens\": 1}",
                                "{\"inputs\": \"x\", \"extra\": 1}"))
                .as((model, body) -> HostileRequest.json("tokenize", "/v1/models/" + model + "/tokenize", body));
        Arbitrary<HostileRequest> detokenize = Combinators.combine(
                        Arbitraries.of("tiny-st-short", "tiny-gpt2", "tiny-vit"),
                        Arbitraries.of(
                                "{}",
                                "{\"ids\": \"1 2\"}",
                                "{\"ids\": [-1]}",
                                "{\"ids\": [1.5]}",
                                "{\"ids\": [99999999999999]}",
                                "{\"ids\": [[1], [\"x\"]]}",
                                "{\"ids\": [1], \"skip_special_tokens\": \"yes\"}"))
                .as((model, body) -> HostileRequest.json("detokenize", "/v1/models/" + model + "/detokenize", body));
        return Arbitraries.oneOf(tokenize, detokenize);
    }

    // ---- OpenAI's transcription form ---------------------------------------------------------------------

    static final String TRANSCRIPTIONS = "/v1/audio/transcriptions";
    private static final String BOUNDARY = "infera-hostile-boundary";

    /** A multipart form of these fields (name, value) and a file part (null for none). */
    static byte[] multipart(List<String[]> fields, byte[] file) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (String[] field : fields) {
            out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + field[0] + "\"\r\n\r\n"
                            + field[1] + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        if (file != null) {
            out.writeBytes(
                    ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n"
                                    + "Content-Type: audio/wav\r\n\r\n")
                            .getBytes(StandardCharsets.UTF_8));
            out.writeBytes(file);
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /**
     * Transcription forms broken one way each: no or another boundary, cut short, garbage, a file
     * that is not audio, no file, bad or unknown fields, a model of another task.
     */
    static Arbitrary<HostileRequest> badTranscriptions() {
        String type = "multipart/form-data; boundary=" + BOUNDARY;
        List<String[]> model = List.<String[]>of(new String[] {"model", "tiny-wav2vec2-ctc"});
        byte[] valid = multipart(model, TinyMedia.WAV);
        Arbitrary<HostileRequest> framing = Arbitraries.oneOf(
                Arbitraries.just(
                        new HostileRequest("multipart.no-boundary", TRANSCRIPTIONS, "multipart/form-data", valid)),
                Arbitraries.just(new HostileRequest(
                        "multipart.other-boundary", TRANSCRIPTIONS, "multipart/form-data; boundary=other", valid)),
                // cut before the audio starts: a WAV cut short is still a (shorter) WAV
                Arbitraries.integers()
                        .between(1, valid.length - TinyMedia.WAV.length - ("\r\n--" + BOUNDARY + "--\r\n").length())
                        .map(cut -> new HostileRequest(
                                "multipart.truncated", TRANSCRIPTIONS, type, Arrays.copyOf(valid, cut))),
                Arbitraries.bytes()
                        .array(byte[].class)
                        .ofMinSize(0)
                        .ofMaxSize(400)
                        .map(bytes -> new HostileRequest("multipart.garbage", TRANSCRIPTIONS, type, bytes)));
        Arbitrary<HostileRequest> fields = Arbitraries.of(
                        new String[] {"response_format", "xml"},
                        new String[] {"temperature", "warm"},
                        new String[] {"temperature", "NaN"},
                        new String[] {"language", "12"},
                        new String[] {"stream", "maybe"},
                        new String[] {"timestamp_granularities[]", "char"},
                        new String[] {"timestamp_granularities[]", "word"},
                        new String[] {"prompt", "<|en|> digits"},
                        new String[] {"model", "tiny-wav2vec2-ctc"},
                        new String[] {"chunking_strategy", "auto"},
                        new String[] {"", "x"})
                .map(extra -> new HostileRequest(
                        "multipart.bad-field",
                        TRANSCRIPTIONS,
                        type,
                        multipart(List.of(model.getFirst(), extra), TinyMedia.WAV)));
        Arbitrary<HostileRequest> files = Arbitraries.oneOf(
                Arbitraries.just(new HostileRequest("multipart.no-file", TRANSCRIPTIONS, type, multipart(model, null))),
                Arbitraries.just(new HostileRequest(
                        "multipart.empty-file", TRANSCRIPTIONS, type, multipart(model, new byte[0]))),
                Arbitraries.bytes()
                        .array(byte[].class)
                        .ofMinSize(1)
                        .ofMaxSize(300)
                        .map(bytes -> new HostileRequest(
                                "multipart.not-audio", TRANSCRIPTIONS, type, multipart(model, bytes))),
                Arbitraries.of("tiny-bert-sentiment", "tensor-ops", "nope", "")
                        .map(other -> new HostileRequest(
                                "multipart.model",
                                TRANSCRIPTIONS,
                                type,
                                multipart(List.<String[]>of(new String[] {"model", other}), TinyMedia.WAV))));
        List<String[]> whisper = List.<String[]>of(new String[] {"model", "tiny-whisper"});
        Arbitrary<HostileRequest> whisperFields = Arbitraries.of(
                        new String[] {"prompt", "<|en|> digits"},
                        new String[] {"temperature", "0.5"},
                        new String[] {"timestamp_granularities[]", "word"},
                        new String[] {"language", "zz"})
                .map(extra -> new HostileRequest(
                        "multipart.whisper-field",
                        TRANSCRIPTIONS,
                        type,
                        multipart(List.of(whisper.getFirst(), extra), TinyMedia.WAV)));
        return Arbitraries.oneOf(framing, fields, files, whisperFields);
    }

    /** Little, valid media to start from and to cut. */
    static final class TinyMedia {

        static final byte[] PNG = png();
        static final byte[] WAV = wav(16_000, 1, 16, 1, 1600);
        static final String PNG_DATA_URL =
                "data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(PNG);
        static final String WAV_DATA_URL =
                "data:audio/wav;base64," + java.util.Base64.getEncoder().encodeToString(WAV);

        private TinyMedia() {}

        private static byte[] png() {
            try {
                java.awt.image.BufferedImage image =
                        new java.awt.image.BufferedImage(32, 32, java.awt.image.BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        image.setRGB(x, y, (x * 8) << 16 | (y * 8) << 8 | ((x ^ y) * 8));
                    }
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                javax.imageio.ImageIO.write(image, "png", out);
                return out.toByteArray();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        static boolean looksLikeAnImage(byte[] b) {
            return b.length >= 2
                    && ((b[0] == (byte) 0x89 && b[1] == 'P')
                            || (b[0] == (byte) 0xFF && b[1] == (byte) 0xD8)
                            || (b[0] == 'G' && b[1] == 'I')
                            || (b[0] == 'B' && b[1] == 'M')
                            || (b[0] == 'R' && b[1] == 'I')
                            || (b[0] == 'I' && b[1] == 'I')
                            || (b[0] == 'M' && b[1] == 'M'));
        }

        static byte[] pngHeaderOnly(int width, int height) {
            return io.infera.testing.TestImages.pngHeaderOnly(width, height);
        }

        /** A PCM WAV of a sine, {@code samples} frames. */
        static byte[] wav(int rate, int channels, int bits, int format, int samples) {
            int frameBytes = Math.max(1, channels * bits / 8);
            ByteBuffer b = ByteBuffer.allocate(44 + samples * frameBytes).order(ByteOrder.LITTLE_ENDIAN);
            b.put("RIFF".getBytes(StandardCharsets.US_ASCII))
                    .putInt(36 + samples * frameBytes)
                    .put("WAVE".getBytes(StandardCharsets.US_ASCII));
            b.put("fmt ".getBytes(StandardCharsets.US_ASCII))
                    .putInt(16)
                    .putShort((short) format)
                    .putShort((short) channels)
                    .putInt(rate)
                    .putInt(rate * frameBytes)
                    .putShort((short) frameBytes)
                    .putShort((short) bits);
            b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(samples * frameBytes);
            for (int i = 0; i < samples * frameBytes / 2; i++) {
                b.putShort((short) (3000 * Math.sin(i / 7.0)));
            }
            return b.array();
        }

        /** A WAV header whose data chunk claims {@code declared} bytes, followed by only {@code samples} samples. */
        static byte[] wavClaiming(long declared, int samples) {
            byte[] wav = wav(16_000, 1, 16, 1, samples);
            ByteBuffer.wrap(wav)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(40, (int) declared)
                    .putInt(4, (int) Math.min(declared + 36, 0xFFFFFFFFL));
            return wav;
        }
    }
}
