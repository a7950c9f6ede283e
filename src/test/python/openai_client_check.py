"""Drives a running Infera server with OpenAI's own Python client (OpenAiClientTest runs it).

Prints one JSON object: what the client read from a completion, a streamed completion, a chat
completion and a streamed chat completion (greedy, so the answers are the references'), and how it
reported a bad request.
"""
import json
import sys

import openai

base_url, model, prompt = sys.argv[1], sys.argv[2], sys.argv[3]
messages = json.loads(sys.argv[4])
client = openai.OpenAI(base_url=base_url, api_key="unused", max_retries=0)
out = {}

completion = client.completions.create(model=model, prompt=prompt, max_tokens=12, temperature=0)
out["completion"] = {"text": completion.choices[0].text, "finish_reason": completion.choices[0].finish_reason,
                     "completion_tokens": completion.usage.completion_tokens}

pieces = [chunk.choices[0].text for chunk in
          client.completions.create(model=model, prompt=prompt, max_tokens=12, temperature=0, stream=True) if chunk.choices]
out["completion_stream"] = {"text": "".join(pieces), "chunks": len(pieces)}

chat = client.chat.completions.create(model=model, messages=messages, max_tokens=10, temperature=0)
out["chat"] = {"content": chat.choices[0].message.content, "role": chat.choices[0].message.role}

deltas = [chunk.choices[0].delta.content or "" for chunk in
          client.chat.completions.create(model=model, messages=messages, max_tokens=10, temperature=0, stream=True,
                                         stream_options={"include_usage": True}) if chunk.choices]
out["chat_stream"] = {"content": "".join(deltas)}

try:
    client.completions.create(model=model, prompt=prompt, max_tokens=100000)
    out["error"] = None
except openai.BadRequestError as e:
    body = e.body if isinstance(e.body, dict) else {}
    out["error"] = {"status": e.status_code, "param": body.get("param", body.get("error", {}).get("param"))}

print(json.dumps(out))
