/**
 * Image decoding, resizing and normalisation as the Hugging Face image processors do it, from
 * preprocessor_config.json. May import processing, runtime and errors.
 */
package io.infera.processing.image;
