package io.infera.tasks.voiceactivity;

import io.infera.errors.DeadlineExceededException;
import io.infera.runtime.Backend;
import io.infera.runtime.DataType;
import io.infera.runtime.Device;
import io.infera.runtime.Tensor;
import io.infera.runtime.TensorSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A recurrent chunk model (Silero VAD: {@code input} [batch, context + window] samples, {@code
 * state} [2, batch, size], {@code sr} -> {@code output} [batch, 1], {@code stateN}) behind the
 * one-pass interface the batcher speaks: {@code input} [batch, samples] of whole clips in,
 * {@code output} [batch, chunks] of per-chunk probabilities out. Inside, the clips of the batch
 * step through their chunks together, each chunk after the last {@code context} samples of the
 * one before (zeros before the first), the state carried, the last chunk padded with zeros.
 *
 * <p>The recurrence only looks back, so a clip padded with zeros to the batch's longest gets the
 * same probabilities for its own chunks as alone; the task reads only those.
 */
final class RecurrentChunks implements Backend {

    static final String INPUT = "input";
    static final String OUTPUT = "output";
    static final String STATE = "state";
    static final String STATE_OUT = "stateN";
    static final String RATE = "sr";

    private final Backend model;
    private final int window;
    private final int context;
    private final int stateSize;
    private final Tensor rate;

    RecurrentChunks(Backend model, int window, int context, int stateSize, int samplingRate) {
        this.model = model;
        this.window = window;
        this.context = context;
        this.stateSize = stateSize;
        this.rate = Tensor.of(new long[] {samplingRate});
    }

    /** How many chunks of {@code window} samples a clip of this many samples runs as (the last one padded). */
    static int chunks(int samples, int window) {
        return Math.max(1, (samples + window - 1) / window);
    }

    @Override
    public List<TensorSpec> inputs() {
        return List.of(new TensorSpec(INPUT, DataType.FP32, new long[] {-1, -1}));
    }

    @Override
    public List<TensorSpec> outputs() {
        return List.of(new TensorSpec(OUTPUT, DataType.FP32, new long[] {-1, -1}));
    }

    @Override
    public Map<String, Tensor> run(Map<String, Tensor> inputs, List<String> outputs) {
        return run(inputs, outputs, Long.MAX_VALUE);
    }

    @Override
    public Map<String, Tensor> run(Map<String, Tensor> inputs, List<String> outputs, long deadlineNanos) {
        Tensor clips = inputs.get(INPUT);
        if (clips == null || clips.rank() != 2) {
            throw new IllegalArgumentException("input must be [batch, samples] float32 audio");
        }
        int batch = clips.dim(0);
        int samples = clips.dim(1);
        float[] audio = clips.toFloats();
        int steps = chunks(samples, window);
        int width = context + window;
        float[] probabilities = new float[batch * steps];
        float[] state = new float[2 * batch * stateSize];
        float[] previous = new float[batch * width];
        for (int step = 0; step < steps; step++) {
            if (deadlineNanos != Long.MAX_VALUE && System.nanoTime() - deadlineNanos > 0) {
                throw new DeadlineExceededException(
                        "the request's time budget ran out after " + step + " of " + steps + " chunks");
            }
            float[] x = new float[batch * width];
            for (int b = 0; b < batch; b++) {
                // the tail of the previous chunk (as sent, context included), then this chunk
                System.arraycopy(previous, b * width + width - context, x, b * width, context);
                int from = step * window;
                int count = Math.min(window, samples - from);
                System.arraycopy(audio, b * samples + from, x, b * width + context, count);
            }
            Map<String, Tensor> out = model.run(
                    Map.of(
                            INPUT, Tensor.of(x, batch, width),
                            STATE, Tensor.of(state, 2, batch, stateSize),
                            RATE, rate),
                    List.of(OUTPUT, STATE_OUT),
                    deadlineNanos);
            float[] speech = out.get(OUTPUT).toFloats();
            for (int b = 0; b < batch; b++) {
                probabilities[b * steps + step] = speech[b];
            }
            state = out.get(STATE_OUT).toFloats();
            previous = x;
        }
        return Map.of(OUTPUT, Tensor.of(probabilities, batch, steps));
    }

    @Override
    public Set<String> operators() {
        return model.operators();
    }

    @Override
    public String runtimeName() {
        return model.runtimeName();
    }

    @Override
    public Device device() {
        return model.device();
    }

    @Override
    public void close() {
        model.close();
    }
}
