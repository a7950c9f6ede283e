package io.infera.tasks.textgeneration;

import com.fasterxml.jackson.databind.JsonNode;
import io.infera.errors.InvalidInputException;
import io.infera.errors.ModelLoadException;
import io.infera.generation.CausalLm;
import io.infera.generation.ContinuousBatcher;
import io.infera.generation.GenerationLimits;
import io.infera.generation.GenerationObserver;
import io.infera.runtime.Backend;
import io.infera.tasks.TaskContext;
import io.infera.tasks.TextEncoders;
import io.infera.generation.Generated;
import io.infera.generation.TokenListener;
import io.infera.processing.text.Tokenizer;
import io.infera.tasks.Parameters;
import io.infera.tasks.Pipeline;
import io.infera.tasks.TaskInput;
import io.infera.tasks.TaskType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * text-generation on the predict route, as the transformers pipeline answers it: each prompt is
 * tokenized, continued by the model's {@link ContinuousBatcher} (prompts of one request and of
 * concurrent requests share its steps) and answered as {@code [{"generated_text": ...}]}.
 */
public final class TextGenerationPipeline implements Pipeline {

    /** Everything a text-generation model loaded. */
    private record Loaded(Tokenizer tokenizer, ContinuousBatcher batcher, GenerationDefaults defaults, int maxPositions,
                         int maxNewTokens, int maxTextChars, JsonNode defaultParameters) {
    }

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
    public static TextGenerationPipeline load(TaskContext context, Backend backend, GenerationLimits limits, int maxNewTokens,
                                              int maxTextChars, GenerationObserver observer) throws ModelLoadException {
        CausalLm lm = CausalLm.of(backend);
        JsonNode generationConfig = null;
        if (context.files().has("generation_config.json")) {
            try {
                generationConfig = context.json().readTree(context.files().resolve("generation_config.json").toFile());
            } catch (java.io.IOException e) {
                throw new ModelLoadException("generation_config.json is not valid JSON: " + e.getMessage(), e);
            }
        }
        JsonNode config = context.config().json();
        int positions = config.path("max_position_embeddings").asInt(config.path("n_positions").asInt(config.path("n_ctx").asInt(0)));
        if (context.settings().maxTokens().isPresent()) {
            positions = positions > 0 ? Math.min(positions, context.settings().maxTokens().getAsInt())
                    : context.settings().maxTokens().getAsInt();
        }
        if (positions <= 0) {
            throw new ModelLoadException("config.json says nothing of the model's positions (max_position_embeddings or n_positions); "
                    + "set max_tokens in serving.yaml");
        }
        Tokenizer tokenizer = TextEncoders.tokenizer(context, positions + 1);
        ContinuousBatcher batcher = new ContinuousBatcher(context.modelName(), lm, limits, observer);
        return new TextGenerationPipeline(new Loaded(tokenizer, batcher, GenerationDefaults.read(generationConfig, context.config()),
                positions, maxNewTokens, maxTextChars, context.settings().defaultParameters()));
    }

    @Override
    public TaskType taskType() {
        return TaskType.TEXT_GENERATION;
    }

    @Override
    public CompletableFuture<List<Object>> predict(List<TaskInput> inputs, JsonNode parameters, Duration timeout) {
        long start = System.nanoTime();
        Parameters reader = Parameters.of(Pipeline.withDefaults(model.defaultParameters(), parameters));
        var timeoutMs = reader.count(TIMEOUT_PARAMETER, java.util.OptionalInt.empty());
        TextGenerationParameters parsed = TextGenerationParameters.read(reader, model.defaults(), model.maxNewTokens());
        reader.rejectUnread(taskType().wireName());
        long deadline = Pipeline.deadline(start, timeoutMs.isPresent() ? Duration.ofMillis(timeoutMs.getAsInt()) : timeout);
        List<String> prompts = new ArrayList<>();
        List<int[]> ids = new ArrayList<>();
        for (TaskInput input : inputs) {
            String prompt = input.text();
            Pipeline.checkTextLength(((TaskInput.Json) input).value(), input.field(), model.maxTextChars());
            int[] tokens = text.encode(prompt);
            checkLength(tokens.length, parsed.settings().maxNewTokens(), input.field());
            prompts.add(prompt);
            ids.add(tokens);
        }
        List<CompletableFuture<Generated>> running = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            TokenListener stops = parsed.stop().isEmpty() ? TokenListener.NONE : generated -> text.endsWithStop(generated, parsed.stop());
            running.add(model.batcher().submit(ids.get(i), parsed.settings(), stops, deadline));
        }
        return CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<Object> results = new ArrayList<>(running.size());
            for (int i = 0; i < running.size(); i++) {
                Generated g = running.get(i).join();
                String answer = text.answer(prompts.get(i), ids.get(i), g.tokens(), parsed.stop(), parsed.returnFullText());
                results.add(List.of(Map.of("generated_text", answer)));
            }
            return results;
        }).whenComplete((results, error) -> {
            if (error != null) {
                running.forEach(f -> f.cancel(false)); // one failed: the others' work stops too
            }
        });
    }

    private void checkLength(int promptTokens, int maxNewTokens, String field) {
        if (promptTokens == 0) {
            throw new InvalidInputException(field, "the prompt is empty");
        }
        if (promptTokens + maxNewTokens > model.maxPositions()) {
            throw new InvalidInputException(field, "prompt of " + promptTokens + " tokens plus max_new_tokens " + maxNewTokens
                    + " is more than the model's " + model.maxPositions() + " positions");
        }
    }

    @Override
    public void close(Duration grace) {
        model.batcher().close(grace);
        model.tokenizer().close();
    }
}
