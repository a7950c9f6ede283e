/**
 * Numeric building blocks shared by tasks (softmax, top-k, windows, spans) with no model or
 * request knowledge. May import errors.
 */
package io.infera.processing;
