/**
 * Liveness and readiness: what the server and each model report to probes. May import config and
 * registry.
 */
package io.infera.health;
