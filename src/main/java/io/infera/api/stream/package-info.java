/**
 * Live speech recognition over WebSocket ({@code /v1/audio/stream}): the route, its limits and
 * close codes, and each stream's utterances, partial and final texts. May import api, config,
 * errors, metrics, registry, tasks and processing.audio.
 */
package io.infera.api.stream;
