/**
 * The OpenAI-compatible routes (completions, chat completions): their request reading, response
 * shapes, streaming events and error objects. May import api, config, errors, registry, tasks
 * (text generation), processing.text.
 */
package io.infera.api.openai;
