/**
 * Audio decoding (WAV, ffmpeg), resampling and log-mel features equal to the transformers feature
 * extractors. May import errors.
 */
package io.infera.processing.audio;
