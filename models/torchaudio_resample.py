"""torchaudio.functional.resample (method "sinc_interp_hann", lowpass_filter_width 6, rolloff 0.99)
written out in torch from torchaudio's documentation, for the reference scripts: the transformers
audio pipelines call torchaudio to resample, and the local package mirror has no torchaudio.

install() makes `from torchaudio import functional as F` inside the pipelines find this function.
"""
import math
import sys
import types

import torch

LOWPASS_WIDTH = 6
ROLLOFF = 0.99


def _kernels(orig, new):
    """One Hann-windowed sinc per output phase, cut at 0.99 of the lower Nyquist frequency."""
    base = min(orig, new) * ROLLOFF
    width = math.ceil(LOWPASS_WIDTH * orig / base)
    taps = torch.arange(-width, width + orig, dtype=torch.float64) / orig
    t = (-torch.arange(new, dtype=torch.float64) / new)[:, None] + taps[None, :]
    t = (t * base).clamp(-LOWPASS_WIDTH, LOWPASS_WIDTH)
    window = torch.cos(t * math.pi / LOWPASS_WIDTH / 2) ** 2
    x = t * math.pi
    sinc = torch.where(x == 0, torch.ones_like(x), torch.sin(x) / x)
    return sinc * window * (base / orig), width


def resample(waveform, orig_freq, new_freq, **_):
    if orig_freq == new_freq:
        return waveform
    gcd = math.gcd(int(orig_freq), int(new_freq))
    orig, new = int(orig_freq) // gcd, int(new_freq) // gcd
    kernels, width = _kernels(orig, new)
    shape = waveform.shape
    x = waveform.reshape(-1, shape[-1]).to(torch.float64)
    length = x.shape[-1]
    padded = torch.nn.functional.pad(x[:, None, :], (width, width + orig))
    out = torch.nn.functional.conv1d(padded, kernels[:, None, :], stride=orig)  # [batch, new, frames]
    out = out.transpose(1, 2).reshape(x.shape[0], -1)[:, :math.ceil(new * length / orig)]
    return out.to(waveform.dtype).reshape(*shape[:-1], -1)


def install():
    """Registers this function as torchaudio.functional.resample for the transformers pipelines."""
    functional = types.ModuleType("torchaudio.functional")
    functional.resample = resample
    package = types.ModuleType("torchaudio")
    package.functional = functional
    sys.modules["torchaudio"] = package
    sys.modules["torchaudio.functional"] = functional
    import transformers.pipelines.audio_classification as classification
    import transformers.pipelines.automatic_speech_recognition as recognition
    classification.is_torchaudio_available = lambda: True
    recognition.is_torchaudio_available = lambda: True
