"""tiny-bert-encoder-int8: the tiny feature-extraction encoder quantized dynamically, as
onnxruntime.quantization.quantize_dynamic (and optimum's dynamic quantization) writes int8
exports: weights int8, activations quantized at run time by DynamicQuantizeLinear, whose scale
and zero point come from the minimum and maximum of the whole input tensor. In a batch that
tensor holds every row (and the padding), so a row's answer depends on the rows beside it: the
graph the server must run one row at a time.

Run: models/.venv/bin/python models/make_quantized_models.py
"""
import os
import shutil

import numpy as np
import onnx
import onnxruntime as ort
from onnxruntime.quantization import QuantType, quantize_dynamic
from transformers import AutoTokenizer

import fixtures as fx

SOURCE = os.path.join(fx.TEST_MODELS, "tiny-bert-encoder")
TEXTS = ["the software is provided as is", "permission is hereby granted, free of charge, to any person obtaining a copy",
         "copyright notice"]


def main():
    out = fx.fresh_dir(os.path.join(fx.TEST_MODELS, "tiny-bert-encoder-int8"))
    quantize_dynamic(os.path.join(SOURCE, "model.onnx"), os.path.join(out, "model.onnx"), weight_type=QuantType.QInt8)
    for name in os.listdir(SOURCE):
        if name != "model.onnx":
            shutil.copy(os.path.join(SOURCE, name), os.path.join(out, name))
    ops = {n.op_type for n in onnx.load(os.path.join(out, "model.onnx")).graph.node}
    assert "DynamicQuantizeLinear" in ops, ops
    # The reason the server runs it a row at a time: the same text alone and in a padded batch differ.
    tokenizer = AutoTokenizer.from_pretrained(out)
    session = ort.InferenceSession(os.path.join(out, "model.onnx"))
    names = [i.name for i in session.get_inputs()]
    alone = session.run(None, {k: v for k, v in tokenizer([TEXTS[0]], return_tensors="np").items() if k in names})[0][0]
    batch = session.run(None, {k: v for k, v in tokenizer(TEXTS, padding=True, return_tensors="np").items() if k in names})[0][0]
    difference = float(np.abs(alone - batch[:alone.shape[0]]).max())
    print("largest difference alone vs batched:", difference)
    assert difference > 1e-3, difference


if __name__ == "__main__":
    main()
