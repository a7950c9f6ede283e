/**
 * The backends: ONNX Runtime and TorchScript sessions behind one Backend interface, tensors,
 * session settings and the graph facts read from model files. May import errors only.
 */
package io.infera.runtime;
