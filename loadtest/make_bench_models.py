"""Models for the load-test bench (loadtest/run.sh), written to loadtest/models/ (not committed):
random weights, since speed does not depend on them.

  bert-small     4 layers, hidden 256: the reference model of the bench's targets
  bert-base      12 layers, hidden 768 (BERT-base sized)
  resnet-50      transformers' ResNet-50 image classifier (torchvision's does not load here)
  loadtest/backends/{onnx,torchscript}/bert-small
                 the same bert-small weights as ONNX and as TorchScript, each served alone by its
                 own server process (throughput, latency, CPU and resident memory)

The text models use the real BERT uncased tokenizer.json the build unpacks with all-MiniLM-L6-v2.
Each model folder is copied under other names with serving.yaml variants, so that one server run
compares batching on and off, and bucketing on and off, side by side.
"""
import json
import os
import shutil
import sys

import torch
from transformers import (BertConfig, BertForSequenceClassification, ConvNextImageProcessor, ResNetConfig,
                          ResNetForImageClassification)

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures"))
import fixtures as fx  # noqa: E402 (the shared helpers live in fixtures/)

OUT = os.path.join(fx.REPO, "loadtest", "models")
BACKENDS = os.path.join(fx.REPO, "loadtest", "backends")
TOKENIZER = os.path.join(fx.REPO, "target", "models", "all-minilm-l6-v2", "tokenizer.json")
LABELS = {"id2label": {"0": "negative", "1": "positive"}, "label2id": {"negative": 0, "positive": 1}}

# Session settings measured best on a 2-core box under HTTP load (loadtest/README.md): for the
# small model two single-threaded sessions (no barrier between two threads per operator, no
# spinning stealing the CPU that HTTP and tokenization need); for the large ones one session
# on both cores.
SMALL = "instances: 2\nonnx: {intra_op_threads: 1, inter_op_threads: 1, spinning: false}\n"
LARGE = "instances: 1\nonnx: {intra_op_threads: 2, inter_op_threads: 1, spinning: false}\n"
VARIANTS = {
    "": "batching: {max_batch_size: 16, max_queue_delay_us: 0}\n",
    "-unbatched": "batching: {max_batch_size: 1}\n",
    "-nobuckets": "batching: {max_batch_size: 16, max_queue_delay_us: 0, buckets: [], max_batch_tokens: 0}\n",
}


def export_bert(name, layers, hidden, heads):
    if not os.path.exists(TOKENIZER):
        sys.exit("run ./infera build first: " + TOKENIZER + " is missing")
    torch.manual_seed(0)
    config = BertConfig(vocab_size=30522, hidden_size=hidden, num_hidden_layers=layers, num_attention_heads=heads,
                        intermediate_size=hidden * 4, num_labels=2, **LABELS)
    model = BertForSequenceClassification(config).eval()
    out = fx.fresh_dir(os.path.join(OUT, name))
    example = {"input_ids": torch.randint(1000, 2000, (2, 16)), "token_type_ids": torch.zeros(2, 16, dtype=torch.long),
               "attention_mask": torch.ones(2, 16, dtype=torch.long)}
    names = ["input_ids", "token_type_ids", "attention_mask"]
    axes = {n: {0: "batch", 1: "sequence"} for n in names}
    axes["logits"] = {0: "batch"}
    wrapped = fx.OutputsOf(model, names, ["logits"])
    fx.export_onnx(wrapped, example, names, ["logits"], axes, os.path.join(out, "model.onnx"), atol=1e-3)
    model.config.architectures = ["BertForSequenceClassification"]
    model.config.to_json_file(os.path.join(out, "config.json"))
    shutil.copy(TOKENIZER, os.path.join(out, "tokenizer.json"))
    fx.write_json(os.path.join(out, "tokenizer_config.json"), {"model_max_length": 512, "pad_token": "[PAD]"})
    if name == "bert-small":
        backend_pair(out, wrapped, example, names)
    return out


def backend_pair(onnx_dir, wrapped, example, names):
    """bert-small twice, as ONNX and as TorchScript, with the same session layout (2 instances x 1 thread)."""
    batching = "batching: {max_batch_size: 16, max_queue_delay_us: 0}\n"
    onnx_copy = fx.fresh_dir(os.path.join(BACKENDS, "onnx", "bert-small"))
    for f in os.listdir(onnx_dir):
        shutil.copy(os.path.join(onnx_dir, f), onnx_copy)
    with open(os.path.join(onnx_copy, "serving.yaml"), "w") as f:
        f.write("# bench: bert-small on ONNX Runtime\n" + SMALL + batching)
    ts_dir = fx.torchscript_variant(onnx_copy, [(n, "INT64", [-1, -1]) for n in names], [("logits", "FP32", [-1, 2])],
                                    out_dir=os.path.join(BACKENDS, "torchscript", "bert-small"))
    checks = [{n: example[n][:1, :9] for n in names}, {n: torch.cat([example[n]] * 3)[:, :40].repeat(1, 2) for n in names}]
    fx.export_torchscript(wrapped, example, names, checks, os.path.join(ts_dir, "model.pt"), atol=1e-4)
    # libtorch's threads are per process: the bench starts this server with one intra-op thread, so
    # that its two instances match ONNX Runtime's two single-threaded sessions.
    with open(os.path.join(ts_dir, "serving.yaml"), "w") as f:
        f.write("# bench: bert-small on libtorch (TorchScript)\ninstances: 2\n" + batching
                + "backend: torchscript\ntrust: true\ntorchscript:\n  inputs:\n"
                + "".join(f"    - {{name: {n}, datatype: INT64, shape: [-1, -1]}}\n" for n in names)
                + "  outputs:\n    - {name: logits, datatype: FP32, shape: [-1, 2]}\n")


def export_resnet():
    torch.manual_seed(0)
    model = ResNetForImageClassification(ResNetConfig(num_labels=2, **LABELS)).eval()  # ResNet-50 layout
    out = fx.fresh_dir(os.path.join(OUT, "resnet-50"))
    fx.export_onnx(fx.OutputsOf(model, ["pixel_values"], ["logits"]), {"pixel_values": torch.randn(2, 3, 224, 224)},
                   ["pixel_values"], ["logits"], {"pixel_values": {0: "batch"}, "logits": {0: "batch"}},
                   os.path.join(out, "model.onnx"), atol=1e-3)
    model.config.architectures = ["ResNetForImageClassification"]
    model.config.to_json_file(os.path.join(out, "config.json"))
    ConvNextImageProcessor(size={"shortest_edge": 224}, crop_pct=0.875, resample=3).save_pretrained(out)
    return out


def variants(folder, names, session):
    base = os.path.basename(folder)
    for suffix in names:
        target = folder + suffix
        if suffix:
            if os.path.exists(target):
                shutil.rmtree(target)
            shutil.copytree(folder, target)
        with open(os.path.join(target, "serving.yaml"), "w") as f:
            f.write(f"# bench variant of {base}\n" + session + VARIANTS[suffix])


def tiny_model():
    """The tiny test classifier, for the per-request overhead at concurrency 1."""
    target = os.path.join(OUT, "tiny-bert")
    if os.path.exists(target):
        shutil.rmtree(target)
    shutil.copytree(os.path.join(fx.TEST_MODELS, "tiny-bert-sentiment"), target)
    with open(os.path.join(target, "serving.yaml"), "w") as f:
        f.write("onnx: {intra_op_threads: 1, inter_op_threads: 1, spinning: false}\n")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    tiny_model()
    variants(export_bert("bert-small", 4, 256, 4), ["", "-unbatched", "-nobuckets"], SMALL)
    variants(export_bert("bert-base", 12, 768, 12), ["", "-unbatched"], LARGE)
    variants(export_resnet(), ["", "-unbatched"], LARGE)
    print("wrote", OUT)
