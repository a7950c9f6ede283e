"""Drives a running Infera server's /v1/embeddings with OpenAI's own Python client (OpenAiClientTest).

Prints one JSON object: the vectors and usage the client read with its default encoding (base64,
which it decodes itself) and with encoding_format="float", a Matryoshka cut by `dimensions`, token-id
input, and how it reported bad requests (dimensions on a model not declared Matryoshka, an unknown model).
"""
import json
import sys

import openai

from openai_refusals import refused

base_url, model, matryoshka = sys.argv[1], sys.argv[2], sys.argv[3]
texts = json.loads(sys.argv[4])
client = openai.OpenAI(base_url=base_url, api_key="unused", max_retries=0)
out = {}

default = client.embeddings.create(model=model, input=texts)  # the client asks for base64 and decodes it
out["base64"] = {"vectors": [d.embedding for d in default.data], "indexes": [d.index for d in default.data],
                 "prompt_tokens": default.usage.prompt_tokens, "total_tokens": default.usage.total_tokens,
                 "model": default.model, "object": default.object}
floats = client.embeddings.create(model=model, input=texts, encoding_format="float")
out["float"] = {"vectors": [d.embedding for d in floats.data]}
one = client.embeddings.create(model=model, input=texts[0], encoding_format="float")
out["single"] = {"vectors": [d.embedding for d in one.data], "prompt_tokens": one.usage.prompt_tokens}
cut = client.embeddings.create(model=matryoshka, input=texts, dimensions=8)
out["dimensions"] = {"vectors": [d.embedding for d in cut.data]}
ids = client.embeddings.create(model=model, input=[[2, 40, 41, 3]], encoding_format="float")
out["token_ids"] = {"count": len(ids.data), "prompt_tokens": ids.usage.prompt_tokens}


out["errors"] = {
    "dimensions": refused(lambda: client.embeddings.create(model=model, input=texts, dimensions=8)),
    "unknown_model": refused(lambda: client.embeddings.create(model="no-such-model", input=texts)),
    "empty": refused(lambda: client.embeddings.create(model=model, input=[])),
}
print(json.dumps(out))
