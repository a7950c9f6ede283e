"""Trains the bundled image classifier: a small CNN on Fashion-MNIST from Debian's
dataset-fashion-mnist package (apt-get install dataset-fashion-mnist), exported to
models/fashion-mnist-cnn/ as an ONNX model with a Hugging Face style config.json and
preprocessor_config.json, so Infera serves it like any image-classification export.

Also writes a few test-set images and the ONNX model's answers for them as a reference for
Infera's tests. Run with models/.venv/bin/python models/train_fashion_mnist.py (about 2 minutes).
"""
import gzip
import json
import os

import numpy as np
import onnxruntime as ort
import torch
from PIL import Image
from torch import nn

import fixtures as fx

DATA = "/usr/share/datasets/fashion-mnist"
OUT = os.path.join(fx.REPO, "models", "fashion-mnist-cnn")
LABELS = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]


def read_idx(name):
    with gzip.open(os.path.join(DATA, name), "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def to_pixel_values(images):
    """As the served preprocessor does: grey replicated to RGB, /255, then (x - 0.5) / 0.5."""
    x = images.astype(np.float32) * np.float32(1 / 255)
    x = (x - np.float32(0.5)) / np.float32(0.5)
    return np.repeat(x[:, None, :, :], 3, axis=1)


class FashionCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(64, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.AdaptiveAvgPool2d(1))
        self.classifier = nn.Sequential(nn.Flatten(), nn.Dropout(0.2), nn.Linear(64, len(LABELS)))

    def forward(self, pixel_values):
        return self.classifier(self.features(pixel_values))


def main():
    torch.manual_seed(0)
    torch.set_num_threads(2)
    train_x = torch.from_numpy(to_pixel_values(read_idx("train-images-idx3-ubyte.gz")))
    train_y = torch.from_numpy(read_idx("train-labels-idx1-ubyte.gz").astype(np.int64))
    test_images = read_idx("t10k-images-idx3-ubyte.gz")
    test_x = torch.from_numpy(to_pixel_values(test_images))
    test_y = read_idx("t10k-labels-idx1-ubyte.gz").astype(np.int64)

    model = FashionCnn()
    optimiser = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    epochs = 4
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=3e-3, total_steps=epochs * (len(train_x) // 128 + 1))
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(len(train_x))
        for i in range(0, len(order), 128):
            batch = order[i:i + 128]
            loss = nn.functional.cross_entropy(model(train_x[batch]), train_y[batch])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
        model.eval()
        with torch.no_grad():
            predicted = torch.cat([model(test_x[i:i + 1000]).argmax(1) for i in range(0, len(test_x), 1000)]).numpy()
        print(f"epoch {epoch + 1}: test accuracy {np.mean(predicted == test_y):.4f}")
    accuracy = float(np.mean(predicted == test_y))

    fx.fresh_dir(OUT)
    path = os.path.join(OUT, "model.onnx")
    fx.export_onnx(model, {"pixel_values": test_x[:4]}, ["pixel_values"], ["logits"],
                   {"pixel_values": {0: "batch"}, "logits": {0: "batch"}}, path)
    fx.write_json(os.path.join(OUT, "config.json"), {
        "architectures": ["FashionCnnForImageClassification"],
        "model_type": "fashion-cnn",
        "id2label": {str(i): l for i, l in enumerate(LABELS)},
        "label2id": {l: i for i, l in enumerate(LABELS)},
        "num_channels": 3,
        "image_size": 28,
        "test_accuracy": round(accuracy, 4),
        "trained_by": "models/train_fashion_mnist.py on Debian dataset-fashion-mnist (60k train, 10k test)",
    })
    fx.write_json(os.path.join(OUT, "preprocessor_config.json"), {
        "image_processor_type": "ViTImageProcessor", "do_resize": True, "size": {"height": 28, "width": 28},
        "resample": 2, "do_rescale": True, "rescale_factor": 1 / 255, "do_normalize": True,
        "image_mean": [0.5, 0.5, 0.5], "image_std": [0.5, 0.5, 0.5]})

    # A few test-set pictures as PNG, with the ONNX model's softmax scores for them.
    images_dir = os.path.join(fx.TEST_IMAGES, "fashion")
    os.makedirs(images_dir, exist_ok=True)
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    cases = []
    for i in range(12):
        name = f"test-{i:02d}-{LABELS[test_y[i]].split('/')[0].replace(' ', '-').lower()}.png"
        Image.fromarray(test_images[i]).save(os.path.join(images_dir, name))
        logits = session.run(["logits"], {"pixel_values": to_pixel_values(test_images[i:i + 1])})[0][0]
        scores = np.exp(logits - logits.max()) / np.exp(logits - logits.max()).sum()
        ranked = sorted(range(len(LABELS)), key=lambda k: -scores[k])[:5]
        cases.append({"model": "fashion-mnist-cnn", "inputs": "fashion/" + name, "parameters": {},
                      "true_label": LABELS[test_y[i]],
                      "expected": [{"label": LABELS[k], "score": float(scores[k])} for k in ranked]})
    fx.write_json(os.path.join(fx.REFERENCES, "fashion-mnist-cnn.json"), cases)
    print(f"wrote {OUT}: test accuracy {accuracy:.4f}")


if __name__ == "__main__":
    main()
