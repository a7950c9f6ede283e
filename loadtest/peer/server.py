"""The peer a user would write instead of Infera: FastAPI + uvicorn + onnxruntime, with an asyncio
dynamic batcher (collect up to MAX_BATCH requests, waiting at most the given milliseconds after the
first; texts padded to the longest of the batch), serving the same JSON contract as Infera's task route:
  text-classification   POST /v1/models/<name>/predict {"inputs": "text"} -> [{"label": ..., "score": ...}]
  feature-extraction    POST /v1/models/<name>/predict {"inputs": "text"} -> [mean-pooled, L2-normalised floats]
  image-classification  POST /v1/models/<name>/predict <PNG/JPEG bytes>  -> [{"label": ..., "score": ...}]
                        (Pillow decodes and resizes as preprocessor_config.json says: an exact size,
                        or ConvNeXt's shortest edge / crop_pct then a centre crop)

Run: python server.py <model-folder> <port> [task] [max-wait-ms]
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

folder, port = sys.argv[1], int(sys.argv[2])
TASK = sys.argv[3] if len(sys.argv) > 3 else "text-classification"
MAX_WAIT_S = (float(sys.argv[4]) if len(sys.argv) > 4 else 2.0) / 1000
config = json.load(open(os.path.join(folder, "config.json")))
labels = [config["id2label"][str(i)] for i in range(len(config.get("id2label", {})))]
if TASK != "image-classification":
    tokenizer = Tokenizer.from_file(os.path.join(folder, "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(256 if TASK == "feature-extraction" else 512)
else:
    from PIL import Image
    import io
    image_config = json.load(open(os.path.join(folder, "preprocessor_config.json")))
options = ort.SessionOptions()
options.intra_op_num_threads = 2
options.inter_op_num_threads = 1
options.add_session_config_entry("session.intra_op.allow_spinning", "0")
session = ort.InferenceSession(os.path.join(folder, "model.onnx"), options, providers=["CPUExecutionProvider"])
queue: asyncio.Queue = asyncio.Queue()
app = FastAPI()


def run_text(encodings):
    longest = max(len(e.ids) for e in encodings)
    ids = np.zeros((len(encodings), longest), dtype=np.int64)
    mask = np.zeros_like(ids)
    for i, e in enumerate(encodings):
        ids[i, :len(e.ids)] = e.ids
        mask[i, :len(e.ids)] = 1
    feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
    if TASK == "feature-extraction":
        states = session.run(["last_hidden_state"], feeds)[0]
        summed = (states * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        vectors = summed / np.maximum(np.linalg.norm(summed, axis=1, keepdims=True), 1e-12)
        return [v.tolist() for v in vectors]
    return top_labels(session.run(["logits"], feeds)[0])


def run_images(pixels):
    return top_labels(session.run(None, {session.get_inputs()[0].name: np.stack(pixels)})[0])


def top_labels(logits):
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    scores = shifted / shifted.sum(axis=1, keepdims=True)
    return [[{"label": labels[int(row.argmax())], "score": float(row.max())}] for row in scores]


def preprocess_image(data):
    """Decode, resize, rescale and normalise as the model's preprocessor_config.json says, to [C, H, W]."""
    channels = session.get_inputs()[0].shape[1]
    image = Image.open(io.BytesIO(data)).convert("L" if channels == 1 else "RGB")
    size = image_config["size"]
    resample = image_config.get("resample", 2)
    if "shortest_edge" in size:
        # ConvNeXt's rule: scale the shorter side to shortest_edge / crop_pct, then centre-crop a square
        edge = size["shortest_edge"]
        short = int(edge / image_config.get("crop_pct", 224 / 256))
        width, height = image.size
        scale = short / min(width, height)
        image = image.resize((int(width * scale), int(height * scale)), resample=resample)
        left, top = (image.size[0] - edge) // 2, (image.size[1] - edge) // 2
        image = image.crop((left, top, left + edge, top + edge))
    else:
        image = image.resize((size["width"], size["height"]), resample=resample)
    array = np.asarray(image, dtype=np.float32) * image_config["rescale_factor"]
    array = array[:, :, None] if array.ndim == 2 else array
    mean = np.array(image_config["image_mean"][:channels], dtype=np.float32)
    std = np.array(image_config["image_std"][:channels], dtype=np.float32)
    return ((array - mean) / std).transpose(2, 0, 1)


run_batch = run_images if TASK == "image-classification" else run_text


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
            answers = await loop.run_in_executor(None, run_batch, [e for e, _ in batch])
            for (_, future), answer in zip(batch, answers):
                future.set_result(answer)
        except Exception as error:  # every waiting request hears of a failed batch
            for _, future in batch:
                future.set_exception(error)


@app.on_event("startup")
async def start():
    asyncio.get_running_loop().create_task(batcher())


@app.post("/v1/models/{name}/predict")
async def predict(name: str, request: Request):
    if TASK == "image-classification":
        item = preprocess_image(await request.body())
    else:
        body = await request.json()
        inputs = body.get("inputs")
        if not isinstance(inputs, str):
            raise HTTPException(400, "inputs must be a string")
        item = tokenizer.encode(inputs)
    future = asyncio.get_running_loop().create_future()
    await queue.put((item, future))
    return JSONResponse(await future)


@app.get("/health")
async def health():
    return {"ready": True}


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
