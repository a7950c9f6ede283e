/**
 * The model repository: finds model folders, reads serving.yaml and the exported configs, opens
 * backends and assembles each model's pipeline, batcher and state, and reloads them. May import
 * tasks, batching, generation, runtime, routing, processing.audio and errors; never the HTTP layer.
 */
package io.infera.registry;
