/**
 * Infera: a model-serving server for exported ONNX and TorchScript models. The request travels api
 * -> tasks -> batching/generation -> runtime, with processing for the numeric work; registry loads
 * models into that path; server wires it into Quarkus.
 */
package io.infera;
