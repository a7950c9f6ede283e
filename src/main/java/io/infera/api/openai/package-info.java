/**
 * The compatibility routes that clients of other servers call: OpenAI's completions, chat
 * completions and embeddings, and rerank in the shape of Cohere's and Jina's APIs; their request
 * reading, response shapes, streaming events and (OpenAI) error objects. May import api, config,
 * errors, registry, tasks (text generation, feature extraction, rerank), generation (finish
 * reasons) and processing.text.
 */
package io.infera.api.openai;
