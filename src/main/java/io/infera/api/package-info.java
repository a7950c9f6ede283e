/**
 * The HTTP routes of the task endpoint, the model list and the management API, their filters (API
 * keys, body size, drain, request ids) and the one table from failures to answers (ErrorKind).
 * Owns the wire shapes. May import every stage below it: config, errors, health, metrics,
 * registry, routing, tasks, batching, runtime, render, server, processing.image, processing.text (the tokenize
 * routes).
 */
package io.infera.api;
