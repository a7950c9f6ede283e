"""The peer a user would write instead of Infera: FastAPI + uvicorn + onnxruntime, with an asyncio
dynamic batcher (collect up to MAX_BATCH requests, waiting at most MAX_WAIT_S after the first),
serving the same JSON contract as Infera's text-classification endpoint:
POST /v1/models/<name>/predict {"inputs": "text"} -> [{"label": ..., "score": ...}].

Run: python server.py <model-folder> <port>   (model folder as made by loadtest/make_bench_models.py)
"""
import asyncio
import json
import os
import sys

import numpy as np
import onnxruntime as ort
import uvicorn
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from tokenizers import Tokenizer

MAX_BATCH = 32
MAX_WAIT_S = 0.002

folder, port = sys.argv[1], int(sys.argv[2])
config = json.load(open(os.path.join(folder, "config.json")))
labels = [config["id2label"][str(i)] for i in range(len(config["id2label"]))]
tokenizer = Tokenizer.from_file(os.path.join(folder, "tokenizer.json"))
tokenizer.no_padding()
tokenizer.enable_truncation(512)
options = ort.SessionOptions()
options.intra_op_num_threads = 2
options.inter_op_num_threads = 1
options.add_session_config_entry("session.intra_op.allow_spinning", "0")
session = ort.InferenceSession(os.path.join(folder, "model.onnx"), options, providers=["CPUExecutionProvider"])
queue: asyncio.Queue = asyncio.Queue()
app = FastAPI()


def run_batch(encodings):
    longest = max(len(e.ids) for e in encodings)
    ids = np.zeros((len(encodings), longest), dtype=np.int64)
    mask = np.zeros_like(ids)
    for i, e in enumerate(encodings):
        ids[i, :len(e.ids)] = e.ids
        mask[i, :len(e.ids)] = 1
    logits = session.run(["logits"], {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


async def batcher():
    loop = asyncio.get_running_loop()
    while True:
        batch = [await queue.get()]
        deadline = loop.time() + MAX_WAIT_S
        while len(batch) < MAX_BATCH:
            timeout = deadline - loop.time()
            if timeout <= 0:
                break
            try:
                batch.append(await asyncio.wait_for(queue.get(), timeout))
            except asyncio.TimeoutError:
                break
        try:
            scores = await loop.run_in_executor(None, run_batch, [e for e, _ in batch])
            for (_, future), row in zip(batch, scores):
                best = int(row.argmax())
                future.set_result([{"label": labels[best], "score": float(row[best])}])
        except Exception as error:  # every waiting request hears of a failed batch
            for _, future in batch:
                future.set_exception(error)


@app.on_event("startup")
async def start():
    asyncio.get_running_loop().create_task(batcher())


@app.post("/v1/models/{name}/predict")
async def predict(name: str, request: Request):
    body = await request.json()
    inputs = body.get("inputs")
    if not isinstance(inputs, str):
        raise HTTPException(400, "inputs must be a string")
    future = asyncio.get_running_loop().create_future()
    await queue.put((tokenizer.encode(inputs), future))
    return JSONResponse(await future)


@app.get("/health")
async def health():
    return {"ready": True}


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
