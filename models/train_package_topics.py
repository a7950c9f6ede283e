"""Trains the bundled text classifier: the topic of a piece of software from its one-line
description, learnt from this machine's Debian package index (`apt-cache dumpavail`: the short
description and Section of every package). Labels are Debian sections about what software does
(games, graphics, sound, science, ...), not the language it is written in.

The model is a bag of word pieces: a WordPiece tokenizer trained on the descriptions, mean-pooled
token embeddings and a two-layer head, exported to models/package-topics/ with tokenizer.json,
tokenizer_config.json and a config.json naming its labels, so Infera serves it as
text-classification. Run with models/.venv/bin/python models/train_package_topics.py (~1 minute).
"""
import json
import os
import random
import re
import subprocess

import numpy as np
import torch
from tokenizers import BertWordPieceTokenizer
from torch import nn
from transformers import BertTokenizerFast

import fixtures as fx

OUT = os.path.join(fx.REPO, "models", "package-topics")
SECTIONS = ["admin", "database", "editors", "fonts", "games", "graphics", "mail", "math", "net",
            "science", "sound", "text", "video", "web"]
MAX_TOKENS = 64


def descriptions():
    """(description, section) pairs, one per distinct description, from the package index."""
    index = subprocess.run(["apt-cache", "dumpavail"], capture_output=True, text=True, check=True).stdout
    seen, pairs = set(), []
    for stanza in index.split("\n\n"):
        fields = dict(re.findall(r"^([A-Za-z-]+): (.*)$", stanza, flags=re.M))
        section = fields.get("Section", "").split("/")[-1]
        text = fields.get("Description", "").strip()
        # Data, documentation and debug companions repeat their program's description.
        text = re.sub(r"\s*[-(]\s*(data|documentation|debug symbols|transitional[^)]*)\)?\s*$", "", text, flags=re.I)
        if section in SECTIONS and text and text.lower() not in seen:
            seen.add(text.lower())
            pairs.append((text, section))
    return sorted(pairs)


class BagOfPieces(nn.Module):
    def __init__(self, vocab, labels, dim=96):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim, padding_idx=0)
        self.head = nn.Sequential(nn.Linear(dim, dim), nn.ReLU(), nn.Dropout(0.3), nn.Linear(dim, labels))

    def forward(self, input_ids, attention_mask):
        mask = attention_mask.unsqueeze(-1).to(torch.float32)
        pooled = (self.embed(input_ids) * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        return self.head(pooled)


def main():
    random.seed(0)
    torch.manual_seed(0)
    pairs = descriptions()
    random.shuffle(pairs)
    split = int(len(pairs) * 0.85)
    train, test = pairs[:split], pairs[split:]
    print(len(train), "training and", len(test), "test descriptions")

    corpus = os.path.join(fx.fresh_dir("/tmp/package-topics"), "corpus.txt")
    with open(corpus, "w") as f:
        f.write("\n".join(t for t, _ in train))
    wordpiece = BertWordPieceTokenizer(lowercase=True)
    wordpiece.train([corpus], vocab_size=6000, show_progress=False,
                    special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])
    tokenizer = BertTokenizerFast(tokenizer_object=wordpiece._tokenizer, model_max_length=MAX_TOKENS)

    def encode(items):
        batch = tokenizer([t for t, _ in items], padding=True, truncation=True, return_tensors="pt")
        labels = torch.tensor([SECTIONS.index(s) for _, s in items])
        return batch["input_ids"], batch["attention_mask"], labels

    train_ids, train_mask, train_y = encode(train)
    test_ids, test_mask, test_y = encode(test)
    model = BagOfPieces(len(tokenizer), len(SECTIONS))
    optimiser = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    for epoch in range(25):
        model.train()
        order = torch.randperm(len(train_y))
        for i in range(0, len(order), 64):
            b = order[i:i + 64]
            loss = nn.functional.cross_entropy(model(train_ids[b], train_mask[b]), train_y[b], label_smoothing=0.05)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    model.eval()
    with torch.no_grad():
        accuracy = float((model(test_ids, test_mask).argmax(1) == test_y).float().mean())
    print(f"test accuracy {accuracy:.4f} over {len(SECTIONS)} topics (majority class {majority(test):.4f})")

    fx.fresh_dir(OUT)
    tokenizer.save_pretrained(OUT)
    for extra in ["special_tokens_map.json"]:
        if os.path.exists(os.path.join(OUT, extra)):
            os.remove(os.path.join(OUT, extra))
    example = {"input_ids": test_ids[:3], "attention_mask": test_mask[:3]}
    fx.export_onnx(model, example, ["input_ids", "attention_mask"], ["logits"],
                   {"input_ids": {0: "batch", 1: "sequence"}, "attention_mask": {0: "batch", 1: "sequence"},
                    "logits": {0: "batch"}}, os.path.join(OUT, "model.onnx"))
    fx.write_json(os.path.join(OUT, "config.json"), {
        "architectures": ["BagOfPiecesForSequenceClassification"],
        "model_type": "bag-of-pieces",
        "problem_type": "single_label_classification",
        "id2label": {str(i): s for i, s in enumerate(SECTIONS)},
        "label2id": {s: i for i, s in enumerate(SECTIONS)},
        "test_accuracy": round(accuracy, 4),
        "trained_by": "models/train_package_topics.py on Debian bookworm package descriptions and sections",
    })
    print("wrote", OUT)


def majority(items):
    counts = {}
    for _, s in items:
        counts[s] = counts.get(s, 0) + 1
    return max(counts.values()) / len(items)


if __name__ == "__main__":
    main()
