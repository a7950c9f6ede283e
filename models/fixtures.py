"""Shared helpers for the scripts that build Infera's test models and reference outputs.

Every test model is tiny, built from a seeded random config, exported with the legacy ONNX
exporter (DESIGN.md §6) and checked against torch before it is written.
"""
import glob
import json
import os
import shutil
import tempfile

import numpy as np
import onnxruntime as ort
import torch

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TEST_MODELS = os.path.join(REPO, "src", "test", "resources", "models")
REFERENCES = os.path.join(REPO, "src", "test", "resources", "reference")
TEST_IMAGES = os.path.join(REPO, "src", "test", "resources", "images")


def license_corpus():
    """English text every Debian machine has: the common licence texts."""
    files = sorted(glob.glob("/usr/share/common-licenses/*"))
    return [f for f in files if os.path.isfile(f) and not os.path.islink(f)]


def wordpiece_tokenizer(vocab_size=1000, model_max_length=128):
    """A lower-casing BERT WordPiece tokenizer trained on the licence corpus."""
    from tokenizers import BertWordPieceTokenizer
    from transformers import BertTokenizerFast

    from tokenizers.processors import TemplateProcessing

    tok = BertWordPieceTokenizer(lowercase=True)
    tok.train(license_corpus(), vocab_size=vocab_size,
              special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"], show_progress=False)
    # Explicit, because tokenizers 0.22 leaves a tokenizer trained from scratch without one.
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok._tokenizer.post_processor = TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1", special_tokens=[("[CLS]", cls), ("[SEP]", sep)])
    # transformers 5 returns token_type_ids only when asked for them (DESIGN.md §6).
    return BertTokenizerFast(tokenizer_object=tok._tokenizer, model_max_length=model_max_length,
                             model_input_names=["input_ids", "token_type_ids", "attention_mask"])


def byte_bpe_tokenizer(vocab_size=1000, model_max_length=128):
    """A RoBERTa-style byte-level BPE tokenizer trained on the licence corpus."""
    from tokenizers import ByteLevelBPETokenizer
    from tokenizers.processors import RobertaProcessing
    from transformers import RobertaTokenizerFast

    tok = ByteLevelBPETokenizer()
    tok.train(license_corpus(), vocab_size=vocab_size, show_progress=False,
              special_tokens=["<s>", "<pad>", "</s>", "<unk>", "<mask>"])
    tok._tokenizer.post_processor = RobertaProcessing(("</s>", 2), ("<s>", 0), trim_offsets=True)
    return RobertaTokenizerFast(tokenizer_object=tok._tokenizer, model_max_length=model_max_length,
                                bos_token="<s>", eos_token="</s>", sep_token="</s>", cls_token="<s>",
                                unk_token="<unk>", pad_token="<pad>", mask_token="<mask>")


def fresh_dir(path):
    if os.path.exists(path):
        shutil.rmtree(path)
    os.makedirs(path)
    return path


def write_json(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1, ensure_ascii=False)
        f.write("\n")


def save_hf_folder(model, processor, out_dir):
    """Saves config.json and the processor files that Infera reads; weights stay in a temp copy."""
    tmp = tempfile.mkdtemp(prefix="infera-hf-")
    model.save_pretrained(tmp)
    if processor is not None:
        processor.save_pretrained(tmp)
        processor.save_pretrained(out_dir)
    shutil.copy(os.path.join(tmp, "config.json"), os.path.join(out_dir, "config.json"))
    return tmp


def export_onnx(module, example_inputs, input_names, output_names, dynamic_axes, path, atol=1e-4):
    """Legacy exporter at opset 17; the ONNX outputs are compared with torch's before returning."""
    module.eval()
    with torch.no_grad():
        torch.onnx.export(module, tuple(example_inputs[n] for n in input_names), path,
                          input_names=input_names, output_names=output_names,
                          dynamic_axes=dynamic_axes, opset_version=17, dynamo=False)
        expected = module(*[example_inputs[n] for n in input_names])
    if isinstance(expected, torch.Tensor):
        expected = (expected,)
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    feeds = {n: example_inputs[n].numpy() for n in input_names}
    actual = session.run(output_names, feeds)
    for name, e, a in zip(output_names, expected, actual):
        diff = float(np.max(np.abs(e.numpy() - a)))
        if diff > atol:
            raise AssertionError(f"{path}: output {name} differs from torch by {diff}")
    return path


class OutputsOf(torch.nn.Module):
    """Wraps a transformers model so that it takes positional tensors and returns chosen outputs."""

    def __init__(self, model, input_names, output_keys):
        super().__init__()
        self.model = model
        self.input_names = input_names
        self.output_keys = output_keys

    def forward(self, *tensors):
        out = self.model(**dict(zip(self.input_names, tensors)))
        return tuple(out[k] for k in self.output_keys)


def export_torchscript(module, example_inputs, input_names, check_inputs, path, atol=1e-5):
    """torch.jit.trace of a module taking positional tensors; checked on other shapes than traced.

    Tracing records the operations run for the example, so shape-dependent Python branches would be
    frozen: check_inputs (other batch sizes and lengths) must give torch's eager outputs.
    """
    module.eval()
    with torch.no_grad():
        traced = torch.jit.trace(module, tuple(example_inputs[n] for n in input_names), strict=False, check_trace=False)
        for inputs in check_inputs:
            args = [inputs[n] for n in input_names]
            expected, actual = module(*args), traced(*args)
            for e, a in zip(expected, actual):
                diff = float((e - a).abs().max())
                if diff > atol:
                    raise AssertionError(f"{path}: traced output differs from eager torch by {diff}")
    traced.save(path)
    return path


def torchscript_variant(onnx_dir, inputs, outputs, out_dir=None):
    """A copy of an ONNX test model's folder that serves model.pt instead: same config, tokenizer,
    processor and serving.yaml, plus the TorchScript tensor declarations. Returns the new folder."""
    out_dir = fresh_dir(out_dir or onnx_dir + "-torchscript")
    for name in os.listdir(onnx_dir):
        if name not in ("model.onnx", "serving.yaml"):
            shutil.copy(os.path.join(onnx_dir, name), out_dir)
    existing = ""
    if os.path.exists(os.path.join(onnx_dir, "serving.yaml")):
        with open(os.path.join(onnx_dir, "serving.yaml")) as f:
            existing = f.read()

    def declare(specs):
        return "".join(f"    - {{name: {n}, datatype: {t}, shape: {list(s)}}}\n" for n, t, s in specs)
    with open(os.path.join(out_dir, "serving.yaml"), "w") as f:
        f.write(existing)
        f.write("# The same model as TorchScript (torch.jit.trace). TorchScript archives embed pickled data,\n"
                "# so they load only when trusted; their tensors have no names, so they are declared here.\n"
                "backend: torchscript\ntrust: true\ntorchscript:\n  inputs:\n" + declare(inputs)
                + "  outputs:\n" + declare(outputs))
    return out_dir

