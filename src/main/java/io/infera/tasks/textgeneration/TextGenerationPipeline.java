package io.infera.tasks.textgeneration;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.batching.BatchingMode;
import io.infera.errors.InvalidInputException;
import io.infera.errors.ModelLoadException;
import io.infera.generation.CausalLm;
import io.infera.generation.ContinuousBatcher;
import io.infera.generation.Generated;
import io.infera.generation.GenerationLimits;
import io.infera.generation.GenerationObserver;
import io.infera.generation.GenerationSettings;
import io.infera.processing.text.ChatTemplate;
import io.infera.processing.text.Tokenizer;
import io.infera.runtime.Backend;
import io.infera.tasks.AnswerSummary;
import io.infera.tasks.Parameters;
import io.infera.tasks.Pipeline;
import io.infera.tasks.PipelineObserver;
import io.infera.tasks.TaskContext;
import io.infera.tasks.TaskInput;
import io.infera.tasks.TaskType;
import io.infera.tasks.TextEncoders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * text-generation on the predict route, as the transformers pipeline answers it: each prompt is
 * tokenized, continued by the model's {@link ContinuousBatcher} (prompts of one request and of
 * concurrent requests share its steps) and answered as {@code [{"generated_text": ...}]}.
 */
public final class TextGenerationPipeline implements Pipeline {

    /** Everything a text-generation model loaded. */
    private record Loaded(
            Tokenizer tokenizer,
            ContinuousBatcher batcher,
            Decoding.Model decoding,
            int maxPositions,
            int maxTextChars,
            JsonNode defaultParameters,
            Optional<ChatTemplate> chatTemplate,
            PipelineObserver observer) {}

    private final Loaded model;
    private final TextGenerationText text;

    private TextGenerationPipeline(Loaded model) {
        this.model = model;
        this.text = new TextGenerationText(model.tokenizer());
    }

    /**
     * Opens a text-generation model: its decoder with past, tokenizer.json, generation_config.json
     * and a generation loop of its own.
     *
     * @param maxNewTokens the server's limit on max_new_tokens
     */
    public static TextGenerationPipeline load(
            TaskContext context,
            Backend backend,
            GenerationLimits limits,
            int maxNewTokens,
            int maxTextChars,
            GenerationObserver observer)
            throws ModelLoadException {
        CausalLm lm = CausalLm.of(backend);
        Decoding.Model decoding = Decoding.Model.load(
                context,
                Decoding.PipelineDefaults.TEXT_GENERATION,
                context.output("logits").orElseThrow(),
                maxNewTokens);
        JsonNode config = context.config().json();
        int positions = config.path("max_position_embeddings")
                .asInt(config.path("n_positions").asInt(config.path("n_ctx").asInt(0)));
        if (context.settings().maxTokens().isPresent()) {
            positions = positions > 0
                    ? Math.min(positions, context.settings().maxTokens().getAsInt())
                    : context.settings().maxTokens().getAsInt();
        }
        if (positions <= 0) {
            throw new ModelLoadException(
                    "config.json says nothing of the model's positions (max_position_embeddings or n_positions); "
                            + "set max_tokens in serving.yaml");
        }
        Optional<ChatTemplate> chatTemplate;
        try {
            chatTemplate = ChatTemplate.load(
                    context.files().resolve("chat_template.jinja"),
                    context.files().resolve("tokenizer_config.json"),
                    context.json());
        } catch (java.io.IOException e) {
            throw new ModelLoadException("chat template cannot be read: " + e.getMessage(), e);
        }
        Tokenizer tokenizer = TextEncoders.tokenizer(context, positions + 1);
        ContinuousBatcher batcher = new ContinuousBatcher(context.modelName(), lm, limits, observer);
        return new TextGenerationPipeline(new Loaded(
                tokenizer,
                batcher,
                decoding,
                positions,
                maxTextChars,
                context.settings().defaultParameters(),
                chatTemplate,
                context.observer()));
    }

    @Override
    public void admit() {
        model.batcher().admit();
    }

    @Override
    public Optional<Tokenizer> tokenizer() {
        return Optional.of(model.tokenizer());
    }

    @Override
    public TaskType taskType() {
        return TaskType.TEXT_GENERATION;
    }

    @Override
    public Optional<BatchingMode> batching() {
        return Optional.of(model.batcher().batching());
    }

    @Override
    public CompletableFuture<List<Object>> predict(List<TaskInput> inputs, JsonNode parameters, Duration timeout) {
        long start = System.nanoTime();
        Parameters reader = Parameters.of(Pipeline.withDefaults(model.defaultParameters(), parameters));
        var timeoutMs = reader.count(TIMEOUT_PARAMETER, java.util.OptionalInt.empty());
        TextGenerationParameters parsed = read(reader);
        long deadline =
                Pipeline.deadline(start, timeoutMs.isPresent() ? Duration.ofMillis(timeoutMs.getAsInt()) : timeout);
        List<Prompt> prompts = new ArrayList<>();
        for (TaskInput input : inputs) {
            prompts.add(prompt(input.text(), input.field(), parsed));
        }
        int perPrompt = parsed.sequencesPerPrompt();
        List<CompletableFuture<Completion>> running = new ArrayList<>();
        try {
            for (Prompt prompt : prompts) {
                for (int sequence = 0; sequence < perPrompt; sequence++) {
                    running.add(complete(prompt.sequence(sequence), parsed, deadline, null));
                }
            }
        } catch (RuntimeException e) {
            running.forEach(f -> f.cancel(false)); // a full queue refuses the rest: what was queued is withdrawn
            throw e;
        }
        CompletableFuture<List<Object>> answer = CompletableFuture.allOf(running.toArray(CompletableFuture[]::new))
                .thenApply(done -> {
                    List<Object> results = new ArrayList<>(prompts.size());
                    for (int i = 0; i < prompts.size(); i++) {
                        List<Map<String, String>> sequences = new ArrayList<>(perPrompt);
                        for (int sequence = 0; sequence < perPrompt; sequence++) {
                            String continuation =
                                    running.get(i * perPrompt + sequence).join().text();
                            sequences.add(Map.of(
                                    "generated_text",
                                    parsed.returnFullText() ? prompts.get(i).text() + continuation : continuation));
                        }
                        results.add(sequences);
                    }
                    return results;
                });
        answer.whenComplete((results, error) -> {
            if (error != null) {
                running.forEach(
                        f -> f.cancel(false)); // one failed, or the client cancelled: the others' work stops too
            }
        });
        return answer;
    }

    /** Reads text-generation parameters (serving.yaml's defaults merged in), refusing unknown ones. */
    public TextGenerationParameters parameters(JsonNode parameters) {
        return read(Parameters.of(Pipeline.withDefaults(model.defaultParameters(), parameters)));
    }

    private TextGenerationParameters read(Parameters reader) {
        TextGenerationParameters parsed = TextGenerationParameters.read(reader, model.decoding());
        reader.rejectUnread(taskType().wireName());
        return parsed;
    }

    /**
     * A conversation as the model's chat template writes it, ready for the assistant's answer.
     *
     * @throws InvalidInputException when the model has no chat template or the template refuses the conversation
     */
    public String chatPrompt(List<ChatTemplate.Message> messages) {
        ChatTemplate template = model.chatTemplate()
                .orElseThrow(() -> new InvalidInputException(
                        "messages",
                        "this model has no chat template (chat_template.jinja or tokenizer_config.json"
                                + " chat_template); use /v1/completions"));
        try {
            return template.render(messages, true);
        } catch (ChatTemplate.ChatTemplateException e) {
            throw new InvalidInputException("messages", e.getMessage());
        }
    }

    /** A prompt tokenized and checked against the model's positions, with the settings it runs under. */
    public record Prompt(String text, int[] ids, GenerationSettings settings) {

        /**
         * The settings of the prompt's {@code index}-th sequence: sequences drawn for one prompt
         * each have their own seed (the request's seed plus the index), so they differ and repeat.
         */
        Prompt sequence(int index) {
            OptionalLong seed = settings.seed();
            return index == 0 || seed.isEmpty()
                    ? this
                    : new Prompt(text, ids, settings.withSeed(OptionalLong.of(seed.getAsLong() + index)));
        }
    }

    /** @param field the request field the text came from, named in errors */
    public Prompt prompt(String prompt, String field, TextGenerationParameters parameters) {
        Pipeline.checkTextLength(prompt, field, model.maxTextChars());
        int[] tokens = text.encode(prompt);
        Decoding decoding = parameters.decoding();
        int maxNewTokens = decoding.maxNewTokens();
        if (decoding.maxLength().isPresent()) {
            // the model's max_length counts the prompt, as generate counts it for a decoder-only model
            int maxLength = decoding.maxLength().getAsInt();
            if (tokens.length >= maxLength) {
                throw new InvalidInputException(
                        field,
                        "prompt of " + tokens.length + " tokens leaves nothing to generate under the "
                                + "model's max_length " + maxLength + " ("
                                + model.decoding().config().sourceOf("max_length") + "); set max_new_tokens");
            }
            maxNewTokens = Math.min(maxLength - tokens.length, model.decoding().maxNewTokensLimit());
        }
        if (!decoding.maxNewTokensAsked() && tokens.length + maxNewTokens > model.maxPositions()) {
            // a default must not make a request fail: it stops where the model's positions end
            maxNewTokens = Math.max(1, model.maxPositions() - tokens.length);
        }
        checkLength(tokens.length, maxNewTokens, field);
        return new Prompt(prompt, tokens, decoding.settings(maxNewTokens));
    }

    /**
     * Continues a prompt. Cancelling the future stops the work at the next step.
     *
     * @param deltas told each new piece of text as soon as it is certain (not the start of a stop
     *               string, not half a UTF-8 character); called on the generation thread; null when
     *               the answer is wanted whole
     */
    public CompletableFuture<Completion> complete(
            Prompt prompt, TextGenerationParameters parameters, long deadlineNanos, Consumer<String> deltas) {
        IncrementalText incremental = new IncrementalText(text, prompt.ids(), parameters.stop(), deltas);
        CompletableFuture<Generated> running =
                model.batcher().submit(prompt.ids(), prompt.settings(), incremental::onToken, deadlineNanos);
        model.observer().text(prompt.ids().length, 0, false);
        CompletableFuture<Completion> answer = running.thenApply(g -> new Completion(
                incremental.finish(g.tokens()), prompt.ids().length, g.tokens().length, g.finishReason()));
        // every finished sequence is one answer, whichever route asked for it: monitored by its length
        answer.thenAccept(c -> model.observer()
                .answered(new AnswerSummary(null, Double.NaN, c.text().length(), null)));
        answer.whenComplete((c, error) -> {
            if (answer.isCancelled()) {
                running.cancel(false);
            }
        });
        return answer;
    }

    private void checkLength(int promptTokens, int maxNewTokens, String field) {
        if (promptTokens == 0) {
            throw new InvalidInputException(field, "the prompt is empty");
        }
        if (promptTokens + maxNewTokens > model.maxPositions()) {
            throw new InvalidInputException(
                    field,
                    "prompt of " + promptTokens + " tokens plus max_new_tokens " + maxNewTokens
                            + " is more than the model's " + model.maxPositions() + " positions");
        }
    }

    @Override
    public void close(Duration grace) {
        model.batcher().close(grace);
        model.tokenizer().close();
    }
}
