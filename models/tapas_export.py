"""TAPAS as ONNX: transformers' segment reductions use scatter_reduce over a flattened
(batch x segments) index whose size tracing would freeze; this replaces them, for export only, with
a per-example scatter over a fixed number of segments. The export has batch size 1 (the index maps
TAPAS builds bake the batch size in) and a free sequence length; serving.yaml sets max_batch_size 1.
"""
import contextlib

import numpy as np
import onnxruntime as ort
import torch
from transformers.models.tapas import modeling_tapas as mt


def _segment_reduce_exportable(values, index, segment_reduce_fn, name):
    indices = index.indices.long()  # [1, S], values [1, S] or [1, S, V]
    segments = int(index.num_segments)
    flat_index = indices.reshape(-1)
    vector_shape = values.shape[indices.dim():]
    flat_values = values.reshape(-1, *vector_shape).float()
    if vector_shape:
        flat_index = flat_index.view(-1, *([1] * len(vector_shape))).expand_as(flat_values)
    out_shape = (segments, *vector_shape)
    if segment_reduce_fn in ("sum", "mean"):
        total = torch.zeros(out_shape, dtype=torch.float).scatter_add(0, flat_index, flat_values)
        if segment_reduce_fn == "mean":
            count = torch.zeros(out_shape, dtype=torch.float).scatter_add(0, flat_index, torch.ones_like(flat_values))
            total = total / torch.clamp(count, min=1.0)
        result = total
    else:
        fill = float("inf") if segment_reduce_fn == "amin" else float("-inf")
        start = torch.full(out_shape, fill, dtype=torch.float)
        result = start.scatter_reduce(0, flat_index, flat_values, reduce=segment_reduce_fn, include_self=True)
        result = torch.where(torch.isinf(result), torch.zeros_like(result), result)  # empty segments: 0, as include_self=False
    output_values = result.view(1, segments, *vector_shape).to(values.dtype)
    return output_values, mt.range_index_map(index.batch_shape(), index.num_segments)


@contextlib.contextmanager
def exportable():
    original = mt._segment_reduce
    mt._segment_reduce = _segment_reduce_exportable
    try:
        yield
    finally:
        mt._segment_reduce = original


def export(model, example, path, checks):
    """Exports (input_ids, attention_mask, token_type_ids) -> (logits, logits_aggregation); checks ORT against torch."""
    names = ["input_ids", "attention_mask", "token_type_ids"]

    class Wrapped(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            out = self.model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
            return out.logits, out.logits_aggregation

    wrapped = Wrapped().eval()
    axes = {"input_ids": {1: "sequence"}, "attention_mask": {1: "sequence"}, "token_type_ids": {1: "sequence"},
            "logits": {1: "sequence"}}
    with exportable(), torch.no_grad():
        torch.onnx.export(wrapped, tuple(example[n] for n in names), path, input_names=names,
                          output_names=["logits", "logits_aggregation"], dynamic_axes=axes, opset_version=18, dynamo=False)
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    for inputs in [example] + checks:
        with torch.no_grad():
            expected = wrapped(*[inputs[n] for n in names])  # the original, unpatched model
        actual = session.run(None, {n: inputs[n].numpy() for n in names})
        for e, a in zip(expected, actual):
            # Relative: random weights at a large scale give logits in the hundreds.
            diff = float(np.max(np.abs(e.numpy() - a) / np.maximum(1.0, np.abs(e.numpy()))))
            if diff > 2e-3:  # large random weights amplify float32 rounding; answers are discrete
                raise AssertionError(f"{path}: ONNX differs from torch by {diff} at length {inputs['input_ids'].shape[1]}")
