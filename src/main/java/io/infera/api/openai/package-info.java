/**
 * The OpenAI-compatible routes (completions, chat completions): their request reading, response
 * shapes, streaming events and error objects. May import api, config, errors, registry, tasks
 * (text generation), generation (finish reasons) and processing.text.
 */
package io.infera.api.openai;
