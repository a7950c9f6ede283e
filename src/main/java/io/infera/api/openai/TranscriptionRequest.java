package io.infera.api.openai;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One {@code POST /v1/audio/transcriptions} (or {@code translations}) as OpenAI's clients send it,
 * a multipart form: {@code file} (the audio, any format ffmpeg reads), {@code model}, and optional
 * {@code language} (ISO-639-1), {@code prompt}, {@code response_format} (json, text, srt,
 * verbose_json, vtt), {@code temperature}, {@code timestamp_granularities[]} (segment, word; with
 * verbose_json) and {@code stream}. Unknown fields are refused naming the field, as OpenAI does.
 */
record TranscriptionRequest(
        byte[] audio,
        String mediaType,
        String model,
        String language,
        String prompt,
        String responseFormat,
        double temperature,
        Set<String> granularities,
        boolean stream) {

    static final Set<String> FORMATS = Set.of("json", "text", "srt", "verbose_json", "vtt");
    private static final Set<String> FIELDS = Set.of(
            "model",
            "language",
            "prompt",
            "response_format",
            "temperature",
            "timestamp_granularities[]",
            "timestamp_granularities",
            "stream");

    static TranscriptionRequest read(byte[] body, String contentType) {
        MultipartForm form;
        try {
            form = MultipartForm.read(body, contentType);
        } catch (IllegalArgumentException e) {
            throw invalid("file", e.getMessage() + ": send the audio as the file field of a multipart/form-data form");
        }
        for (String name : form.fields().keySet()) {
            if (!FIELDS.contains(name)) {
                throw invalid(
                        name,
                        "unknown field (a transcription takes file, model, language, prompt, "
                                + "response_format, temperature, timestamp_granularities[] and stream)");
            }
        }
        MultipartForm.Part file = form.files().stream()
                .filter(u -> u.name().equals("file"))
                .findFirst()
                .orElseThrow(() -> invalid("file", "is required: the audio, as a multipart/form-data file field"));
        if (form.files().size() > 1) {
            throw invalid(form.files().get(1).name(), "one file per request, in the field file");
        }
        if (file.bytes().length == 0) {
            throw invalid("file", "is empty");
        }
        String model = one(form, "model");
        if (model == null || model.isBlank()) {
            throw invalid("model", "is required");
        }
        String language = one(form, "language");
        if (language != null && !language.matches("[a-z]{2,3}")) {
            throw invalid("language", "an ISO-639-1 code such as en, got '" + shown(language) + "'");
        }
        String format = one(form, "response_format");
        format = format == null ? "json" : format;
        if (!FORMATS.contains(format)) {
            throw invalid("response_format", "one of json, text, srt, verbose_json, vtt; got '" + shown(format) + "'");
        }
        double temperature = number(one(form, "temperature"));
        Set<String> granularities = new LinkedHashSet<>(form.all("timestamp_granularities[]"));
        granularities.addAll(form.all("timestamp_granularities"));
        for (String g : granularities) {
            if (!g.equals("segment") && !g.equals("word")) {
                throw invalid("timestamp_granularities[]", "segment or word, got '" + shown(g) + "'");
            }
        }
        if (!granularities.isEmpty() && !format.equals("verbose_json")) {
            throw invalid("timestamp_granularities[]", "timestamps come with response_format verbose_json");
        }
        String stream = one(form, "stream");
        if (stream != null && !stream.equals("true") && !stream.equals("false")) {
            throw invalid("stream", "true or false, got '" + shown(stream) + "'");
        }
        boolean streaming = "true".equals(stream);
        if (streaming && !format.equals("json") && !format.equals("text")) {
            throw invalid("stream", "a stream answers text: response_format json or text");
        }
        return new TranscriptionRequest(
                file.bytes(),
                file.contentType(),
                model,
                language,
                one(form, "prompt"),
                format,
                temperature,
                granularities.isEmpty() && format.equals("verbose_json") ? Set.of("segment") : granularities,
                streaming);
    }

    private static String one(MultipartForm form, String name) {
        List<String> values = form.all(name);
        if (values.size() > 1) {
            throw invalid(name, "given " + values.size() + " times");
        }
        return values.isEmpty() ? null : values.getFirst();
    }

    private static double number(String value) {
        if (value == null) {
            return 0;
        }
        try {
            double t = Double.parseDouble(value);
            if (!(t >= 0 && t <= 1)) {
                throw invalid("temperature", "between 0 and 1, got " + shown(value));
            }
            return t;
        } catch (NumberFormatException e) {
            throw invalid("temperature", "a number between 0 and 1, got '" + shown(value) + "'");
        }
    }

    private static String shown(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "..." : value;
    }

    private static OpenAiException invalid(String param, String message) {
        return new OpenAiException(OpenAiError.invalid(param, param + ": " + message));
    }
}
