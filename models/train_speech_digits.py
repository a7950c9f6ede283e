"""A real speech recogniser for the bundled models: a small CTC model trained on spoken digit
sequences synthesised with Debian's espeak-ng in many voices, with the wav2vec2 interface Infera
serves (raw 16 kHz input_values -> logits over characters, blank 0, '|' between words). Inside the
graph a fixed STFT (a convolution with Hann-windowed cosines and sines) and mel filterbank turn the
waveform into Whisper-style log-mel frames; a strided convolution, residual convolutions and a
bidirectional GRU read them. Held-out voices measure it; the real human recordings of
pocketsphinx-testdata (TIDIGITS at 8 kHz, "five five" from its cards set) are reported.

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
# Training voices: English dialects x espeak-ng voice variants. The held-out voices' dialect
# (Scottish) and variant (f3) are in neither list.
DIALECTS = ["en", "en-us", "en-gb-x-rp", "en-029", "en-gb-x-gbclan", "en-gb-x-gbcwmd", "en-us-nyc"]
VARIANTS = ["", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "f1", "f2", "f4", "f5", "klatt", "klatt2", "klatt3", "klatt4",
            "croak", "whisper", "grandpa", "grandma", "adam", "Alex", "Andy", "Annie", "aunty", "belinda", "benjamin", "caleb",
            "david", "ed", "edward", "iven", "john", "linda", "Lee", "max", "Michael", "norbert", "paul", "quincy", "rob",
            "robert", "steph", "travis", "victor", "zac"]
TRAIN_VOICES = [d + ("+" + v if v else "") for d in DIALECTS for v in VARIANTS]
EPOCHS = 16
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


N_FFT, HOP, MELS = 400, 160, 64
CONV = [(N_FFT, HOP), (3, 2)]  # (kernel, stride) of the two strided layers: 20 ms frames


class LogMel(nn.Module):
    """A fixed STFT as a convolution (Hann-windowed cosines and sines), power, mel filterbank, log10
    clamped 8 below the clip's maximum and scaled as Whisper's extractor does."""

    def __init__(self):
        super().__init__()
        from transformers.audio_utils import mel_filter_bank
        n = torch.arange(N_FFT, dtype=torch.float64)
        window = 0.5 - 0.5 * torch.cos(2 * np.pi * n / N_FFT)
        k = torch.arange(N_FFT // 2 + 1, dtype=torch.float64)[:, None]
        angle = 2 * np.pi * k * n[None] / N_FFT
        basis = torch.cat([torch.cos(angle) * window, -torch.sin(angle) * window])[:, None, :]
        self.register_buffer("basis", basis.float())
        mel = mel_filter_bank(num_frequency_bins=N_FFT // 2 + 1, num_mel_filters=MELS, min_frequency=0.0,
                              max_frequency=RATE / 2, sampling_rate=RATE, norm="slaney", mel_scale="slaney")
        self.register_buffer("mel", torch.from_numpy(mel.T).float())  # [mels, bins]

    def forward(self, waveform):
        spectrum = nn.functional.conv1d(waveform.unsqueeze(1), self.basis, stride=HOP)
        bins = N_FFT // 2 + 1
        power = spectrum[:, :bins] ** 2 + spectrum[:, bins:] ** 2
        log = torch.log10(torch.clamp(torch.matmul(self.mel, power), min=1e-10))
        log = torch.maximum(log, log.amax(dim=(1, 2), keepdim=True) - 8.0)
        return (log + 4.0) / 4.0


class DigitsCtc(nn.Module):
    """Raw waveform -> log-mel frames every 10 ms -> 20 ms frames -> character logits."""

    def __init__(self, vocabulary, width=160):
        super().__init__()
        self.log_mel = LogMel()
        self.down = nn.Sequential(nn.Conv1d(MELS, width, CONV[1][0], stride=CONV[1][1]), nn.GELU())
        self.blocks = nn.ModuleList(nn.Sequential(nn.Conv1d(width, width, 5, padding=2), nn.GELU()) for _ in range(3))
        self.rnn = nn.GRU(width, 128, batch_first=True, bidirectional=True)
        self.head = nn.Linear(256, vocabulary)

    def forward(self, input_values):
        x = self.down(self.log_mel(input_values))
        for block in self.blocks:
            x = x + block(x)
        x, _ = self.rnn(x.transpose(1, 2))
        return self.head(x)


def frames(length):
    for kernel, stride in CONV:
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


def batches(train, rng, size=32):
    """Batches of similar length (little padding, which would shift the log-mel clamp), in random order."""
    order = sorted(range(len(train)), key=lambda i: len(train[i][0]) + rng.random() * 4000)
    groups = [order[i:i + size] for i in range(0, len(order), size)]
    rng.shuffle(groups)
    return [[train[i] for i in g] for g in groups]


def main():
    torch.manual_seed(7)
    train = utterances(TRAIN_VOICES, 5000, 1)
    held_out = utterances(HELD_OUT_VOICES, 200, 2)
    model = DigitsCtc(len(VOCAB))
    optimiser = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=0.01)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=3e-3, total_steps=EPOCHS * ((len(train) + 31) // 32) + 1)
    ctc = nn.CTCLoss(blank=0, zero_infinity=True)
    rng = random.Random(3)
    for epoch in range(EPOCHS):
        model.train()
        for batch in batches(train, rng):
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
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)  # the GRU diverged once without it (epoch 14 of 30)
            optimiser.step()
            schedule.step()
        print(f"epoch {epoch}: loss {loss.item():.3f}, held-out voices exact match {accuracy(model, held_out):.3f}", flush=True)
    model.eval()
    os.makedirs(OUT, exist_ok=True)
    fx.export_onnx(model, {"input_values": torch.from_numpy(held_out[0][0])[None]}, ["input_values"], ["logits"],
                   {"input_values": {0: "batch", 1: "samples"}, "logits": {0: "batch", 1: "frames"}},
                   os.path.join(OUT, "model.onnx"), atol=1e-3)
    with open(os.path.join(OUT, "config.json"), "w") as f:
        json.dump({"architectures": ["DigitsLogMelGruForCTC"], "conv_kernel": [k for k, _ in CONV], "conv_stride": [s for _, s in CONV],
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
    # Real human speech in pocketsphinx-testdata: a TIDIGITS utterance (raw 16-bit at 8 kHz: its
    # acoustic model's feat.params says upperf 4000) and "five five" from the cards set (16 kHz WAV).
    data = "/usr/share/pocketsphinx/test/data"
    for path, said in [("tidigits/dhd.2934z.raw", "two nine three four zero"), ("cards/004.wav", "five five")]:
        if not os.path.exists(os.path.join(data, path)):
            continue
        if path.endswith(".raw"):
            samples = np.fromfile(os.path.join(data, path), dtype="<i2").astype(np.float32) / 32768
            samples = resample_poly(samples, 2, 1).astype(np.float32)
        else:
            samples, rate = sf.read(os.path.join(data, path), dtype="float32")
            samples = resample_poly(samples, RATE // 100, rate // 100).astype(np.float32) if rate != RATE else samples
        with torch.no_grad():
            heard = greedy(model(torch.from_numpy(normalise(samples))[None])[0])
        print(f"pocketsphinx-testdata {path} (a person saying {said!r}): heard {heard!r}")


if __name__ == "__main__":
    main()
