"""Reference transcriptions of models/speech-digits (trained by train_speech_digits.py) for the
Java tests: digit sequences spoken by held-out espeak-ng voices, written as 16 kHz WAV under
src/test/resources/audio, plus a real human recording of "five five" from Debian's
pocketsphinx-testdata (cards/004.wav, CMU, BSD-2; copied as real-five-five.wav), and what the
model transcribes them as (ONNX Runtime, greedy CTC)."""
import shutil
import json
import os

import numpy as np
import onnxruntime as ort
import soundfile as sf

import fixtures as fx
from train_speech_digits import HELD_OUT_VOICES, OUT, RATE, VOCAB, normalise, synthesise

REAL_RECORDING = "/usr/share/pocketsphinx/test/data/cards/004.wav"
CASES = [("four two seven", HELD_OUT_VOICES[0], 150, 50), ("nine one", HELD_OUT_VOICES[1], 170, 60),
         ("three three eight zero", HELD_OUT_VOICES[0], 140, 40)]


def main():
    session = ort.InferenceSession(os.path.join(OUT, "model.onnx"), providers=["CPUExecutionProvider"])
    audio_dir = os.path.join(fx.REPO, "src", "test", "resources", "audio")
    cases = []
    for i, (text, voice, speed, pitch) in enumerate(CASES):
        name = f"spoken-digits-{i + 1}.wav"
        sf.write(os.path.join(audio_dir, name), synthesise(text, voice, speed, pitch), RATE, subtype="PCM_16")
        cases.append(transcribe(session, audio_dir, name, text, voice))
    name = "real-five-five.wav"
    shutil.copy(REAL_RECORDING, os.path.join(audio_dir, name))
    cases.append(transcribe(session, audio_dir, name, "five five", "a person (pocketsphinx-testdata)"))
    fx.write_json(os.path.join(fx.REFERENCES, "speech-digits.json"), cases)


def transcribe(session, audio_dir, name, text, voice):
    inverse = {v: k for k, v in VOCAB.items()}
    samples, _ = sf.read(os.path.join(audio_dir, name), dtype="float32")
    logits = session.run(None, {"input_values": normalise(samples)[None]})[0][0]
    out, previous = [], -1
    for t in logits.argmax(-1):
        if t != previous and t != 0:
            out.append(" " if t == VOCAB["|"] else inverse[int(t)])
        previous = t
    heard = "".join(out).strip()
    print(f"{name} ({voice}): said {text!r}, heard {heard!r}")
    return {"model": "speech-digits", "inputs": name, "parameters": {}, "expected": {"text": heard}, "said": text}


if __name__ == "__main__":
    main()
