"""A real speech recogniser for the bundled models: a small convolution-only CTC model trained on
spoken digit sequences synthesised with Debian's espeak-ng in several voices, with the wav2vec2
interface Infera serves (raw 16 kHz input_values -> logits over characters, blank 0, '|' between
words). Held-out voices measure it; the real recordings of pocketsphinx-testdata are reported.

apt-get install espeak-ng pocketsphinx-testdata; models/.venv/bin/python models/train_speech_digits.py
Writes models/speech-digits/ (model.onnx, config.json, vocab.json, tokenizer_config.json,
preprocessor_config.json) and prints the accuracies (README quotes them).
"""
import json
import os
import random
import subprocess
import tempfile

import numpy as np
import soundfile as sf
import torch
from scipy.signal import resample_poly
from torch import nn

import fixtures as fx

OUT = os.path.join(fx.REPO, "models", "speech-digits")
WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
TRAIN_VOICES = ["en", "en-us", "en+m1", "en+m2", "en+m3", "en+m5", "en+m7", "en+f1", "en+f2", "en+f4", "en-gb-x-rp", "en-029",
                "en-gb-x-gbclan", "en-gb-x-gbcwmd"]
EPOCHS = 40
HELD_OUT_VOICES = ["en-gb-scotland", "en+f3"]
LETTERS = sorted(set("".join(WORDS)))
VOCAB = {"<pad>": 0, "<s>": 1, "</s>": 2, "<unk>": 3, "|": 4, **{c: i + 5 for i, c in enumerate(LETTERS)}}
RATE = 16000


def synthesise(text, voice, speed, pitch):
    with tempfile.NamedTemporaryFile(suffix=".wav") as f:
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-p", str(pitch), "-w", f.name, text], check=True,
                       stderr=subprocess.DEVNULL)
        samples, rate = sf.read(f.name, dtype="float32")
    return resample_poly(samples, RATE // 50, rate // 50).astype(np.float32)


def normalise(x):
    return ((x - x.mean()) / np.sqrt(x.var() + 1e-7)).astype(np.float32)


def utterances(voices, count, seed):
    rng = random.Random(seed)
    data = []
    for _ in range(count):
        digits = [rng.choice(WORDS) for _ in range(rng.randint(1, 4))]
        audio = synthesise(" ".join(digits), rng.choice(voices), rng.randint(120, 200), rng.randint(25, 75))
        audio = audio * rng.uniform(0.3, 1.0) + np.float32(rng.uniform(0, 0.01)) * np.random.default_rng(rng.randint(0, 1 << 30)).standard_normal(len(audio)).astype(np.float32)
        data.append((normalise(audio), " ".join(digits)))
    return data


class DigitsCtc(nn.Module):
    """Raw waveform -> 80x downsampled frames (conv strides 5, 4, 4) -> character logits."""

    def __init__(self, vocabulary):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv1d(1, 48, 10, stride=5), nn.GELU(), nn.GroupNorm(48, 48),
            nn.Conv1d(48, 96, 8, stride=4), nn.GELU(),
            nn.Conv1d(96, 96, 8, stride=4), nn.GELU())
        self.context = nn.Sequential(*[layer for _ in range(4) for layer in
                                       (nn.Conv1d(96, 96, 5, padding=2), nn.GELU())])
        self.head = nn.Conv1d(96, vocabulary, 1)

    def forward(self, input_values):
        x = self.features(input_values.unsqueeze(1))
        x = x + self.context(x)
        return self.head(x).transpose(1, 2)


def frames(length):
    for kernel, stride in [(10, 5), (8, 4), (8, 4)]:
        length = (length - kernel) // stride + 1
    return length


def encode(text):
    return [VOCAB["|"] if c == " " else VOCAB[c] for c in text]


def greedy(logits):
    ids = logits.argmax(-1).tolist()
    out, previous = [], -1
    inverse = {v: k for k, v in VOCAB.items()}
    for i in ids:
        if i != previous and i != 0:
            out.append(" " if i == VOCAB["|"] else inverse[i])
        previous = i
    return "".join(out).strip()


def accuracy(model, data):
    model.eval()
    right = 0
    with torch.no_grad():
        for audio, text in data:
            right += greedy(model(torch.from_numpy(audio)[None])[0]) == text
    return right / len(data)


def main():
    torch.manual_seed(7)
    train = utterances(TRAIN_VOICES, 3000, 1)
    held_out = utterances(HELD_OUT_VOICES, 200, 2)
    model = DigitsCtc(len(VOCAB))
    optimiser = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.01)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=3e-3, total_steps=EPOCHS * ((len(train) + 31) // 32))
    ctc = nn.CTCLoss(blank=0, zero_infinity=True)
    rng = random.Random(3)
    for epoch in range(EPOCHS):
        model.train()
        rng.shuffle(train)
        for start in range(0, len(train), 32):
            batch = train[start:start + 32]
            longest = max(len(a) for a, _ in batch)
            x = torch.zeros(len(batch), longest)
            for i, (a, _) in enumerate(batch):
                x[i, :len(a)] = torch.from_numpy(a)
            log_probs = model(x).log_softmax(-1).transpose(0, 1)
            targets = torch.tensor([t for _, text in batch for t in encode(text)])
            loss = ctc(log_probs, targets, torch.tensor([frames(len(a)) for a, _ in batch]),
                       torch.tensor([len(encode(text)) for _, text in batch]))
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
        print(f"epoch {epoch}: loss {loss.item():.3f}, held-out voices exact match {accuracy(model, held_out):.3f}", flush=True)
    model.eval()
    os.makedirs(OUT, exist_ok=True)
    fx.export_onnx(model, {"input_values": torch.from_numpy(held_out[0][0])[None]}, ["input_values"], ["logits"],
                   {"input_values": {0: "batch", 1: "samples"}, "logits": {0: "batch", 1: "frames"}},
                   os.path.join(OUT, "model.onnx"), atol=1e-3)
    with open(os.path.join(OUT, "config.json"), "w") as f:
        json.dump({"architectures": ["DigitsConvForCTC"], "conv_kernel": [10, 8, 8], "conv_stride": [5, 4, 4],
                   "vocab_size": len(VOCAB), "pad_token_id": 0}, f, indent=1)
    with open(os.path.join(OUT, "vocab.json"), "w") as f:
        json.dump(VOCAB, f, indent=1)
    with open(os.path.join(OUT, "tokenizer_config.json"), "w") as f:
        json.dump({"pad_token": "<pad>", "word_delimiter_token": "|", "replace_word_delimiter_char": " ",
                   "do_lower_case": False, "tokenizer_class": "Wav2Vec2CTCTokenizer"}, f, indent=1)
    with open(os.path.join(OUT, "preprocessor_config.json"), "w") as f:
        json.dump({"feature_extractor_type": "Wav2Vec2FeatureExtractor", "feature_size": 1, "sampling_rate": RATE,
                   "do_normalize": True, "padding_value": 0.0, "return_attention_mask": False}, f, indent=1)
    print(f"held-out voices ({', '.join(HELD_OUT_VOICES)}): exact match {accuracy(model, held_out):.3f} on {len(held_out)}")
    # Real human speech: the TIDIGITS recording pocketsphinx-testdata ships (raw 16-bit 8 kHz? see below).
    raw = "/usr/share/pocketsphinx/test/data/tidigits/dhd.2934z.raw"
    if os.path.exists(raw):
        samples = np.fromfile(raw, dtype="<i2").astype(np.float32) / 32768
        with torch.no_grad():
            heard = greedy(model(torch.from_numpy(normalise(samples))[None])[0])
        print(f"pocketsphinx-testdata tidigits/dhd.2934z.raw (a man saying 'two nine three four zero'): heard {heard!r}")


if __name__ == "__main__":
    main()
