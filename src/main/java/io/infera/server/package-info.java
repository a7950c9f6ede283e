/**
 * Quarkus wiring: startup and shutdown of the registry, request workers, readiness, and the
 * command line. May import config, registry, batching, generation, health, metrics, offline,
 * runtime and processing.audio.
 */
package io.infera.server;
