"""Seed corpora for the Jazzer fuzz tests (src/test/java/**/*FuzzTest.java).

Small valid inputs of every format each parser takes, written where jazzer-junit looks for a
test's inputs (src/test/resources/<package>/<Class>Inputs/<method>/). The fuzzer starts from
them; in a normal build every file is replayed as a regression test. Entries the fuzzer found
later are added next to these (see SECURITY.md, "Fuzzing").

    models/.venv/bin/python models/make_fuzz_seeds.py
"""
import io
import json
import math
import struct
from pathlib import Path

import numpy as np
from PIL import Image

RESOURCES = Path(__file__).resolve().parent.parent / "src" / "test" / "resources" / "io" / "infera"


def write(folder: Path, name: str, data: bytes):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)


def images():
    out = RESOURCES / "processing" / "image" / "ImageDecoderFuzzTestInputs" / "anyBytes"
    rng = np.random.default_rng(0)
    rgb = Image.fromarray(rng.integers(0, 255, (6, 8, 3), dtype=np.uint8), "RGB")
    for fmt, mode, kwargs in [("PNG", "RGB", {}), ("PNG", "L", {}), ("PNG", "P", {}), ("PNG", "RGBA", {}),
                              ("PNG", "I;16", {}), ("JPEG", "RGB", {}), ("JPEG", "L", {}),
                              ("JPEG", "RGB", {"progressive": True}), ("BMP", "RGB", {}), ("GIF", "P", {}),
                              ("WEBP", "RGB", {"lossless": True}), ("WEBP", "RGB", {"quality": 50}), ("TIFF", "RGB", {})]:
        image = rgb.convert(mode) if mode != "I;16" else Image.fromarray((np.asarray(rgb.convert("L"), dtype=np.uint16) * 257))
        buffer = io.BytesIO()
        image.save(buffer, fmt, **kwargs)
        write(out, f"{fmt.lower()}-{mode.replace(';', '')}{'-progressive' if kwargs.get('progressive') else ''}"
                   f"{'-lossless' if kwargs.get('lossless') else ''}", buffer.getvalue())
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90
    buffer = io.BytesIO()
    rgb.save(buffer, "JPEG", exif=exif.tobytes())
    write(out, "jpeg-exif-orientation-6", buffer.getvalue())
    buffer = io.BytesIO()
    rgb.convert("CMYK").save(buffer, "JPEG")
    write(out, "jpeg-cmyk", buffer.getvalue())
    frames = [rgb.convert("P"), rgb.rotate(90).convert("P")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:])
    write(out, "gif-two-frames", buffer.getvalue())


def wav(rate, channels, bits, samples, fmt=1, extensible=False, declared=None):
    frame = channels * bits // 8
    t = np.arange(samples) / rate
    signal = 0.5 * np.sin(2 * math.pi * 440 * t)
    if fmt == 3:
        data = np.repeat(signal.astype("<f4"), channels).tobytes()
    elif bits == 8:
        data = np.repeat((signal * 127 + 128).astype(np.uint8), channels).tobytes()
    elif bits == 16:
        data = np.repeat((signal * 32767).astype("<i2"), channels).tobytes()
    elif bits == 24:
        ints = np.repeat((signal * 8388607).astype("<i4"), channels)
        data = b"".join(int(v).to_bytes(4, "little", signed=True)[:3] for v in ints)
    else:
        data = np.repeat((signal * 2147483647).astype("<i4"), channels).tobytes()
    if extensible:
        fmt_chunk = struct.pack("<HHIIHHHHI16s", 0xFFFE, channels, rate, rate * frame, frame, bits, 22, bits, 0,
                                struct.pack("<H", fmt) + b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71")
    else:
        fmt_chunk = struct.pack("<HHIIHH", fmt, channels, rate, rate * frame, frame, bits)
    size = len(data) if declared is None else declared
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt_chunk)) + fmt_chunk + b"LIST" + struct.pack("<I", 4) + b"INFO" \
        + b"data" + struct.pack("<I", size) + data
    return b"RIFF" + struct.pack("<I", min(len(body), 0xFFFFFFFF)) + body


def audio():
    out = RESOURCES / "processing" / "audio" / "WavDecoderFuzzTestInputs" / "anyBytes"
    write(out, "pcm16-mono-16k", wav(16000, 1, 16, 800))
    write(out, "pcm8-mono-8k", wav(8000, 1, 8, 400))
    write(out, "pcm24-stereo-44k", wav(44100, 2, 24, 500))
    write(out, "pcm32-mono-48k", wav(48000, 1, 32, 600))
    write(out, "float32-mono-22k", wav(22050, 1, 32, 500, fmt=3))
    write(out, "extensible-pcm16-stereo-16k", wav(16000, 2, 16, 400, extensible=True))
    write(out, "declares-2gib", wav(16000, 1, 16, 400, declared=0x7FFFFFFF))


def tensors():
    out = RESOURCES / "api" / "v2" / "TensorDecodingFuzzTestInputs" / "jsonToTensors"
    inputs = [
        {"name": "x_f32", "shape": [2, 3], "datatype": "FP32", "data": [[1, 2, 3], [4, 5, 6.5]]},
        {"name": "x_f16", "shape": [1, 2], "datatype": "FP16", "data": [0.5, -2]},
        {"name": "x_i64", "shape": [2], "datatype": "INT64", "data": [1, 9007199254740993]},
        {"name": "x_bool", "shape": [2], "datatype": "BOOL", "data": [True, False]},
        {"name": "x_str", "shape": [2], "datatype": "BYTES", "data": ["a", "\u00e9\U0001F642"]},
    ]
    write(out, "all-inputs.json", json.dumps({"id": "1", "inputs": inputs}).encode())
    write(out, "requested-outputs.json",
          json.dumps({"inputs": inputs, "outputs": [{"name": "y", "parameters": {"binary_data": True}}]}).encode())
    binary = [dict(i) for i in inputs]
    binary[0] = {"name": "x_f32", "shape": [1, 3], "datatype": "FP32", "parameters": {"binary_data_size": 12}}
    header = json.dumps({"inputs": binary}).encode()
    if len(header) < 256:
        write(out, "binary-extension", b"B" + bytes([len(header)]) + header + struct.pack("<3f", 1, 2, 3))
    small = json.dumps({"inputs": [{"name": "x_f32", "shape": [1, 3], "datatype": "FP32",
                                    "parameters": {"binary_data_size": 12}}]}).encode()
    write(out, "binary-one-input", b"B" + bytes([len(small)]) + small + struct.pack("<3f", 1, 2, 3))


def names():
    out = RESOURCES / "registry" / "ModelNameFuzzTestInputs" / "acceptedNamesStayInTheModelsFolder"
    for i, name in enumerate(["tiny-vit", "a", "a.b_c-d", "..", "a/../b", "/etc/passwd", "x" * 64, "Tiny", "a..b", ".a"]):
        write(out, f"name-{i}", name.encode())


if __name__ == "__main__":
    images()
    audio()
    tensors()
    names()
