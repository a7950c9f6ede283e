/**
 * The Open Inference Protocol v2 routes (KServe): health, metadata, raw-tensor and task inference
 * in JSON or binary tensors. May import api, config, errors, health, registry, server, tasks,
 * batching, runtime.
 */
package io.infera.api.v2;
