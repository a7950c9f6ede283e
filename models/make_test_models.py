"""Builds the tiny test models under src/test/resources/models and the reference outputs of the
Hugging Face pipelines for them under src/test/resources/reference.

Run with models/.venv/bin/python models/make_test_models.py (models/setup_python.sh makes the venv).
The outputs are committed; CI never runs this script.
"""
import os
import shutil

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper
from PIL import Image
from transformers import pipeline

import fixtures as fx

TEXTS = [
    "I love this movie, it was wonderful!",
    "The Software is provided as is, without warranty of any kind.",
    "Café naïve — résumé, 中文 and an emoji 🙂 in one line.",
    "",
    "  leading and trailing spaces   ",
    "Licensed under the Apache License, Version 2.0 (the License); you may not use this file except "
    "in compliance with the License. " * 12,  # longer than 128 tokens: truncated
]
PAIRS = [
    {"text": "Is redistribution permitted?", "text_pair": "Redistribution and use in source and binary forms are permitted."},
    {"text": "Who holds the copyright?", "text_pair": "The copyright holders and contributors."},
]


# ---------------------------------------------------------------- text models

def bert_config(**extra):
    from transformers import BertConfig
    return BertConfig(vocab_size=1000, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                      intermediate_size=64, max_position_embeddings=128, initializer_range=0.2, **extra)


def text_inputs(tokenizer):
    batch = tokenizer(["a short one", "a somewhat longer sentence with more words in it"],
                      padding=True, return_tensors="pt")
    return {k: v for k, v in batch.items()}


def export_text_model(model, tokenizer, out_dir, output_keys, per_token=("last_hidden_state",)):
    """ONNX and TorchScript exports; outputs named in per_token have a sequence axis."""
    names = list(tokenizer.model_input_names)
    inputs = text_inputs(tokenizer)
    axes = {n: {0: "batch", 1: "sequence"} for n in names}
    for k in output_keys:
        axes[k] = {0: "batch", 1: "sequence"} if k in per_token else {0: "batch"}
    wrapped = fx.OutputsOf(model, names, output_keys)
    fx.export_onnx(wrapped, inputs, names, output_keys, axes, os.path.join(out_dir, "model.onnx"))
    # The same weights as TorchScript, for the backend parity tests (issue #4).
    checks = [{k: v for k, v in tokenizer(texts, padding=True, return_tensors="pt").items()}
              for texts in (["one"], ["three texts of", "different lengths", "the last one is the longest of all by far"])]
    with torch.no_grad():
        shapes = {k: [-1] + list(o.shape[1:]) for k, o in zip(output_keys, wrapped(*[inputs[n] for n in names]))}
    for k in output_keys:
        if k in per_token:
            shapes[k][1] = -1
    ts_dir = fx.torchscript_variant(out_dir, [(n, "INT64", [-1, -1]) for n in names],
                                    [(k, "FP32", shapes[k]) for k in output_keys])
    fx.export_torchscript(wrapped, inputs, names, checks, os.path.join(ts_dir, "model.pt"))


def make_text_classifiers():
    from transformers import BertForSequenceClassification, RobertaConfig, RobertaForSequenceClassification
    cases = []

    torch.manual_seed(11)
    out = fx.fresh_dir(os.path.join(fx.TEST_MODELS, "tiny-bert-sentiment"))
    tok = fx.wordpiece_tokenizer()
    model = BertForSequenceClassification(bert_config(
        num_labels=3, id2label={0: "negative", 1: "neutral", 2: "positive"},
        label2id={"negative": 0, "neutral": 1, "positive": 2})).eval()
    hf = fx.save_hf_folder(model, tok, out)
    export_text_model(model, tok, out, ["logits"])
    clf = pipeline("text-classification", model=hf, tokenizer=hf)
    for params in [{}, {"top_k": 2}, {"top_k": None}, {"function_to_apply": "sigmoid", "top_k": None},
                   {"function_to_apply": "none", "top_k": 3}]:
        for text in TEXTS + PAIRS:
            expected = clf(text, truncation=True, **params)
            cases.append(case("tiny-bert-sentiment", text, params, expected))

    torch.manual_seed(12)
    out = fx.fresh_dir(os.path.join(fx.TEST_MODELS, "tiny-roberta-multilabel"))
    tok = fx.byte_bpe_tokenizer()
    labels = ["licence", "warranty", "liability", "trademark"]
    model = RobertaForSequenceClassification(RobertaConfig(
        vocab_size=1000, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64,
        max_position_embeddings=130, pad_token_id=1, bos_token_id=0, eos_token_id=2, initializer_range=0.2,
        num_labels=4, problem_type="multi_label_classification",
        id2label=dict(enumerate(labels)), label2id={l: i for i, l in enumerate(labels)})).eval()
    hf = fx.save_hf_folder(model, tok, out)
    export_text_model(model, tok, out, ["logits"])
    clf = pipeline("text-classification", model=hf, tokenizer=hf)
    for params in [{}, {"top_k": None}, {"function_to_apply": "softmax", "top_k": 2}]:
        for text in TEXTS + PAIRS:
            cases.append(case("tiny-roberta-multilabel", text, params, clf(text, truncation=True, **params)))
    fx.write_json(os.path.join(fx.REFERENCES, "text-classification.json"), cases)


def make_feature_extractor():
    from transformers import BertModel
    torch.manual_seed(13)
    out = fx.fresh_dir(os.path.join(fx.TEST_MODELS, "tiny-bert-encoder"))
    tok = fx.wordpiece_tokenizer()
    model = BertModel(bert_config(), add_pooling_layer=False).eval()
    hf = fx.save_hf_folder(model, tok, out)
    with open(os.path.join(out, "serving.yaml"), "w") as f:
        f.write("# Default request parameters; a request's own parameters override them.\nparameters:\n  pooling: cls\n")
    export_text_model(model, tok, out, ["last_hidden_state"])
    extractor = pipeline("feature-extraction", model=hf, tokenizer=hf)
    cases = []
    for text in TEXTS[:5]:
        # The pipeline returns per-token states; pooled variants are computed from those states
        # with the attention mask, as sentence-transformers' Pooling module does.
        tokens = np.array(extractor(text, truncation=True)[0])
        mean = tokens.mean(axis=0)
        cls = tokens[0]
        cases.append(case("tiny-bert-encoder", text, {"pooling": "none"}, tokens.tolist()))
        cases.append(case("tiny-bert-encoder", text, {"pooling": "mean"}, mean.tolist()))
        cases.append(case("tiny-bert-encoder", text, {"pooling": "cls"}, cls.tolist()))
        cases.append(case("tiny-bert-encoder", text, {"pooling": "mean", "normalize": True},
                          (mean / np.linalg.norm(mean)).tolist()))
    fx.write_json(os.path.join(fx.REFERENCES, "feature-extraction.json"), cases)


# ---------------------------------------------------------------- image models

def make_test_images():
    """Real photographs from scikit-image, small, in the formats and colour modes users send."""
    from skimage import data
    os.makedirs(fx.TEST_IMAGES, exist_ok=True)
    astronaut = Image.fromarray(data.astronaut()).resize((96, 96), Image.BILINEAR)
    astronaut.save(os.path.join(fx.TEST_IMAGES, "astronaut.png"))
    coffee = Image.fromarray(data.coffee()).resize((150, 100), Image.BILINEAR)
    coffee.save(os.path.join(fx.TEST_IMAGES, "coffee.png"))
    coffee.save(os.path.join(fx.TEST_IMAGES, "coffee.jpg"), quality=90)
    camera = Image.fromarray(data.camera()).resize((80, 120), Image.BILINEAR)  # grey, portrait
    camera.save(os.path.join(fx.TEST_IMAGES, "camera-grey.png"))
    chelsea = Image.fromarray(data.chelsea()).resize((90, 60), Image.BILINEAR).convert("RGBA")
    alpha = Image.linear_gradient("L").resize(chelsea.size)
    chelsea.putalpha(alpha)
    chelsea.save(os.path.join(fx.TEST_IMAGES, "chelsea-rgba.png"))
    chelsea.convert("RGB").quantize(colors=64).save(os.path.join(fx.TEST_IMAGES, "chelsea-palette.png"))
    # A 3x2 palette GIF (ImageIO's own GIF writer mangles tiny palettes, so Pillow writes it).
    gif = Image.new("P", (3, 2))
    gif.putpalette([0, 0, 0, 255, 0, 0, 0, 255, 128, 9, 9, 9])
    gif.putpixel((0, 0), 1)
    gif.putpixel((2, 1), 2)
    gif.save(os.path.join(fx.TEST_IMAGES, "tiny-palette.gif"))
    return ["astronaut.png", "coffee.png", "coffee.jpg", "camera-grey.png", "chelsea-rgba.png", "chelsea-palette.png"]


def export_image_model(model, out_dir, size):
    example = {"pixel_values": torch.randn(2, 3, size, size)}
    wrapped = fx.OutputsOf(model, ["pixel_values"], ["logits"])
    fx.export_onnx(wrapped, example, ["pixel_values"], ["logits"],
                   {"pixel_values": {0: "batch"}, "logits": {0: "batch"}}, os.path.join(out_dir, "model.onnx"))
    ts_dir = fx.torchscript_variant(out_dir, [("pixel_values", "FP32", [-1, 3, size, size])],
                                    [("logits", "FP32", [-1, model.config.num_labels])])
    checks = [{"pixel_values": torch.randn(b, 3, size, size)} for b in (1, 5)]
    fx.export_torchscript(wrapped, example, ["pixel_values"], checks, os.path.join(ts_dir, "model.pt"))


def image_classification_cases(name, hf, images):
    clf = pipeline("image-classification", model=hf)
    cases = []
    for params in [{}, {"top_k": 2}, {"top_k": 10}]:
        for image in images:
            expected = clf(os.path.join(fx.TEST_IMAGES, image), **params)
            cases.append(case(name, image, params, expected))
    return cases


def make_image_classifiers(images):
    from transformers import (ConvNextConfig, ConvNextForImageClassification, ConvNextImageProcessor,
                              ViTConfig, ViTForImageClassification, ViTImageProcessor)
    labels = ["cat", "coffee", "person", "rocket", "tree"]
    id2label = dict(enumerate(labels))
    label2id = {l: i for i, l in enumerate(labels)}
    cases = []

    torch.manual_seed(21)
    out = fx.fresh_dir(os.path.join(fx.TEST_MODELS, "tiny-vit"))
    model = ViTForImageClassification(ViTConfig(
        image_size=32, patch_size=8, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
        intermediate_size=64, initializer_range=0.2, num_labels=5, id2label=id2label, label2id=label2id)).eval()
    processor = ViTImageProcessor(size={"height": 32, "width": 32}, resample=2)
    hf = fx.save_hf_folder(model, processor, out)
    export_image_model(model, out, 32)
    cases += image_classification_cases("tiny-vit", hf, images)

    # ConvNeXt's processor: shortest edge / crop_pct resize, bicubic, then centre crop.
    torch.manual_seed(22)
    out = fx.fresh_dir(os.path.join(fx.TEST_MODELS, "tiny-convnext"))
    model = ConvNextForImageClassification(ConvNextConfig(
        num_channels=3, patch_size=4, num_stages=2, hidden_sizes=[8, 16], depths=[1, 1], initializer_range=0.2,
        num_labels=5, id2label=id2label, label2id=label2id)).eval()
    processor = ConvNextImageProcessor(size={"shortest_edge": 48}, crop_pct=0.875, resample=3)
    hf = fx.save_hf_folder(model, processor, out)
    export_image_model(model, out, 48)
    cases += image_classification_cases("tiny-convnext", hf, images)
    fx.write_json(os.path.join(fx.REFERENCES, "image-classification.json"), cases)


# ---------------------------------------------------------------- raw-tensor models (v2 route)

def tensor_ops_model(path, scale):
    """One graph per Open Inference Protocol datatype: y_f32 = x_f32 * scale, y_i64 = x_i64 + 1, ..."""
    def io(name, dtype, shape):
        return helper.make_tensor_value_info(name, dtype, shape)
    nodes = [
        helper.make_node("Mul", ["x_f32", "scale"], ["y_f32"]),
        helper.make_node("Identity", ["x_f16"], ["y_f16"]),
        helper.make_node("Add", ["x_i64", "one64"], ["y_i64"]),
        helper.make_node("Add", ["x_i32", "one32"], ["y_i32"]),
        helper.make_node("Not", ["x_bool"], ["y_bool"]),
        helper.make_node("Identity", ["x_str"], ["y_str"]),
    ]
    inits = [helper.make_tensor("scale", TensorProto.FLOAT, [], [scale]),
             helper.make_tensor("one64", TensorProto.INT64, [], [1]),
             helper.make_tensor("one32", TensorProto.INT32, [], [1])]
    graph = helper.make_graph(
        nodes, "tensor_ops",
        [io("x_f32", TensorProto.FLOAT, ["batch", 3]), io("x_f16", TensorProto.FLOAT16, ["batch", 2]),
         io("x_i64", TensorProto.INT64, ["batch"]), io("x_i32", TensorProto.INT32, [2, 2]),
         io("x_bool", TensorProto.BOOL, ["n"]), io("x_str", TensorProto.STRING, ["n"])],
        [io("y_f32", TensorProto.FLOAT, ["batch", 3]), io("y_f16", TensorProto.FLOAT16, ["batch", 2]),
         io("y_i64", TensorProto.INT64, ["batch"]), io("y_i32", TensorProto.INT32, [2, 2]),
         io("y_bool", TensorProto.BOOL, ["n"]), io("y_str", TensorProto.STRING, ["n"])],
        inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, path)


def make_raw_models():
    out = fx.fresh_dir(os.path.join(fx.TEST_MODELS, "tensor-ops"))
    tensor_ops_model(os.path.join(out, "model.onnx"), 2.0)
    # Numbered versions: the highest (scale 3) is served unless serving.yaml pins one.
    out = fx.fresh_dir(os.path.join(fx.TEST_MODELS, "versioned"))
    for version, scale in [(1, 1.0), (2, 3.0)]:
        os.makedirs(os.path.join(out, str(version)))
        tensor_ops_model(os.path.join(out, str(version), "model.onnx"), scale)
    out = fx.fresh_dir(os.path.join(fx.TEST_MODELS, "pinned"))
    for version, scale in [(1, 1.0), (2, 3.0)]:
        os.makedirs(os.path.join(out, str(version)))
        tensor_ops_model(os.path.join(out, str(version), "model.onnx"), scale)
    with open(os.path.join(out, "serving.yaml"), "w") as f:
        f.write("# Pinned to version 1 although version 2 exists.\nversion: 1\n")


class TensorOps(torch.nn.Module):
    """A scripted (not traced) module with several dtypes in and a dict out, served on the v2 route."""

    def __init__(self, scale: float):
        super().__init__()
        self.scale = scale

    def forward(self, x_f32: torch.Tensor, x_i64: torch.Tensor, x_bool: torch.Tensor) -> dict[str, torch.Tensor]:
        return {"y_f32": x_f32 * self.scale, "y_i64": x_i64 + 1, "y_bool": torch.logical_not(x_bool)}


def make_torchscript_raw_models():
    out = fx.fresh_dir(os.path.join(fx.TEST_MODELS, "tensor-ops-torchscript"))
    torch.jit.script(TensorOps(2.0)).save(os.path.join(out, "model.pt"))
    with open(os.path.join(out, "serving.yaml"), "w") as f:
        f.write("# torch.jit.script of a module returning a dict: outputs are matched by key.\n"
                "backend: torchscript\ntrust: true\ntorchscript:\n"
                "  inputs:\n"
                "    - {name: x_f32, datatype: FP32, shape: [-1, 3]}\n"
                "    - {name: x_i64, datatype: INT64, shape: [-1]}\n"
                "    - {name: x_bool, datatype: BOOL, shape: [-1]}\n"
                "  outputs:\n"
                "    - {name: y_f32, datatype: FP32, shape: [-1, 3]}\n"
                "    - {name: y_i64, datatype: INT64, shape: [-1]}\n"
                "    - {name: y_bool, datatype: BOOL, shape: [-1]}\n")
    # Must fail, each with its reason: an archive that is not one, and one nobody said to trust.
    out = fx.fresh_dir(os.path.join(fx.TEST_MODELS, "broken-torchscript"))
    with open(os.path.join(out, "model.pt"), "wb") as f:
        f.write(b"PK\x03\x04 this is not a TorchScript archive")
    shutil.copy(os.path.join(fx.TEST_MODELS, "tensor-ops-torchscript", "serving.yaml"), out)
    out = fx.fresh_dir(os.path.join(fx.TEST_MODELS, "untrusted-torchscript"))
    shutil.copy(os.path.join(fx.TEST_MODELS, "tensor-ops-torchscript", "model.pt"), out)
    with open(os.path.join(out, "serving.yaml"), "w") as f:
        f.write("# No trust: true, so this archive is never unpickled.\nbackend: torchscript\n")


def make_sleepy_model():
    """Runs n rounds of a 256x256 matmul: a model whose run time the caller sets, for queue tests."""
    rng = np.random.default_rng(3)
    weight = (rng.standard_normal((256, 256)) / 16).astype(np.float32)
    start = rng.standard_normal((256, 256)).astype(np.float32)
    body = helper.make_graph(
        [helper.make_node("MatMul", ["x_in", "w"], ["mm"]), helper.make_node("Tanh", ["mm"], ["x_out"]),
         helper.make_node("Identity", ["cond_in"], ["cond_out"])],
        "round",
        [helper.make_tensor_value_info("i", TensorProto.INT64, []),
         helper.make_tensor_value_info("cond_in", TensorProto.BOOL, []),
         helper.make_tensor_value_info("x_in", TensorProto.FLOAT, [256, 256])],
        [helper.make_tensor_value_info("cond_out", TensorProto.BOOL, []),
         helper.make_tensor_value_info("x_out", TensorProto.FLOAT, [256, 256])])
    graph = helper.make_graph(
        [helper.make_node("ReduceMax", ["n"], ["rounds"], keepdims=0),
         helper.make_node("Loop", ["rounds", "true", "x0"], ["x_final"], body=body),
         helper.make_node("ReduceSum", ["x_final"], ["y"], keepdims=0)],
        "sleepy",
        [helper.make_tensor_value_info("n", TensorProto.INT64, [1])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [])],
        [helper.make_tensor("true", TensorProto.BOOL, [], [True]),
         numpy_helper.from_array(weight, "w"), numpy_helper.from_array(start, "x0")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    out = fx.fresh_dir(os.path.join(fx.TEST_MODELS, "sleepy"))
    onnx.save(model, os.path.join(out, "model.onnx"))
    with open(os.path.join(out, "serving.yaml"), "w") as f:
        f.write("# One run at a time, one more waiting: the third concurrent request is refused (429).\n"
                "batching:\n  max_batch_size: 1\n  max_queue_size: 1\nonnx:\n  intra_op_threads: 1\n")


def make_broken_models():
    """Folders that must fail to load, each for a reason the registry reports."""
    out = fx.fresh_dir(os.path.join(fx.TEST_MODELS, "broken-onnx"))
    shutil.copy(os.path.join(fx.TEST_MODELS, "tiny-bert-sentiment", "config.json"), out)
    with open(os.path.join(out, "model.onnx"), "wb") as f:
        f.write(b"this is not an onnx protobuf")
    out = fx.fresh_dir(os.path.join(fx.TEST_MODELS, "wants-cuda"))
    tensor_ops_model(os.path.join(out, "model.onnx"), 2.0)
    with open(os.path.join(out, "serving.yaml"), "w") as f:
        f.write("# The CPU build of ONNX Runtime has no CUDA provider: this model must fail, not fall back.\n"
                "device: cuda:0\n")
    out = fx.fresh_dir(os.path.join(fx.TEST_MODELS, "no-artifact"))
    shutil.copy(os.path.join(fx.TEST_MODELS, "tiny-bert-sentiment", "config.json"), out)


def make_resize_reference():
    """Pillow's resize of a small seeded RGB image with every filter, for the Java resizer's test."""
    rng = np.random.default_rng(5)
    source = rng.integers(0, 256, size=(17, 23, 3), dtype=np.uint8)
    image = Image.fromarray(source)
    cases = []
    for name, code in [("NEAREST", 0), ("LANCZOS", 1), ("BILINEAR", 2), ("BICUBIC", 3), ("BOX", 4), ("HAMMING", 5)]:
        for width, height in [(7, 5), (31, 29), (23, 9), (11, 17), (4, 40)]:
            out = np.array(image.resize((width, height), resample=code))
            cases.append({"filter": name, "width": width, "height": height, "pixels": out.reshape(-1).tolist()})
    fx.write_json(os.path.join(fx.REFERENCES, "pillow-resize.json"),
                  {"width": 23, "height": 17, "pixels": source.reshape(-1).tolist(), "cases": cases})


def case(model, inputs, parameters, expected):
    return {"model": model, "inputs": inputs, "parameters": parameters, "expected": expected}


if __name__ == "__main__":
    make_text_classifiers()
    make_feature_extractor()
    make_image_classifiers(make_test_images())
    make_raw_models()
    make_torchscript_raw_models()
    make_sleepy_model()
    make_broken_models()
    make_resize_reference()
    print("wrote", fx.TEST_MODELS, "and", fx.REFERENCES)
