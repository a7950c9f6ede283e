"""Broken ONNX models for the fault tests (ModelFaultsIT): each must be FAILED with its reason
while the other models serve. Random-bytes, truncated and linked variants are made by the test
itself from a good model; these two need the ONNX protobuf.

    models/.venv/bin/python models/make_fault_models.py
"""
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OUT = Path(__file__).resolve().parent.parent / "src" / "test" / "resources" / "faults"

x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [None, 3])
y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [None, 3])

# an operator set no runtime has
graph = helper.make_graph([helper.make_node("Identity", ["x"], ["y"])], "identity", [x], [y])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 999)])
model.ir_version = 8
OUT.mkdir(parents=True, exist_ok=True)
onnx.save(model, OUT / "bad-opset.onnx")

# an initializer whose external data lies outside the model folder
w = numpy_helper.from_array(np.ones((3,), np.float32), "w")
w.data_location = TensorProto.EXTERNAL
w.ClearField("raw_data")
for key, value in {"location": "../../../../../../etc/hostname", "offset": "0", "length": "12"}.items():
    entry = w.external_data.add()
    entry.key, entry.value = key, value
graph = helper.make_graph([helper.make_node("Add", ["x", "w"], ["y"])], "add", [x], [y], initializer=[w])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
model.ir_version = 8
onnx.save(model, OUT / "external-outside.onnx")
