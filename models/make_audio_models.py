"""Tiny seeded audio models and reference outputs for issue #7, written under
src/test/resources/models, src/test/resources/audio and src/test/resources/reference.

Speech is synthesised with Debian's espeak-ng (apt-get install espeak-ng) at its native 22.05 kHz
and brought to 16 kHz with scipy's polyphase resampler; the WAV files are committed in several
encodings. The same speech is also written at 8 and 44.1 kHz, and as FLAC, MP3, OGG/Opus and
M4A/AAC with ffmpeg (apt-get install ffmpeg). Run with
models/.venv/bin/python models/make_audio_models.py (needs soundfile, scipy, ffmpeg).
"""
import math
import os
import subprocess
import tempfile

import numpy as np
import soundfile as sf
import torch
from scipy.signal import resample_poly
from transformers import pipeline

import fixtures as fx
import torchaudio_resample

AUDIO = os.path.join(fx.REPO, "src", "test", "resources", "audio")
RATE = 16000


def speech_at(rate, text, voice="en", speed=160):
    """espeak-ng's speech (22.05 kHz) brought to this rate by scipy's polyphase resampler."""
    with tempfile.NamedTemporaryFile(suffix=".wav") as f:
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", f.name, text], check=True)
        samples, native = sf.read(f.name, dtype="float32")
    gcd = math.gcd(rate, native)
    return resample_poly(samples, rate // gcd, native // gcd).astype(np.float32)


def speech(text, voice="en", speed=160):
    return speech_at(RATE, text, voice, speed)


def make_audio_files():
    """Returns {file name: what the model is fed (float32 mono at 16 kHz, as soundfile reads it)}."""
    os.makedirs(AUDIO, exist_ok=True)
    words = speech("seven three nine")
    other = speech("hello world", voice="en+f3")
    files = {}

    def write(name, data, subtype, channels_last=None):
        path = os.path.join(AUDIO, name)
        sf.write(path, data, RATE, subtype=subtype)
        read, _ = sf.read(path, dtype="float32")
        files[name] = read.mean(axis=1, dtype=np.float32) if read.ndim == 2 else read
    write("digits-16bit.wav", words, "PCM_16")
    write("digits-24bit.wav", words, "PCM_24")
    write("digits-32bit.wav", words, "PCM_32")
    write("digits-8bit.wav", words, "PCM_U8")
    write("digits-float.wav", words, "FLOAT")
    n = min(len(words), len(other))
    write("stereo-16bit.wav", np.stack([words[:n], 0.5 * other[:n]], axis=1), "PCM_16")
    write("silence-16bit.wav", np.zeros(RATE, dtype=np.float32), "PCM_16")
    write("clipped-16bit.wav", np.clip(words * 8, -1, 1), "PCM_16")
    write("short-16bit.wav", words[:800], "PCM_16")  # 50 ms
    return files


def make_other_inputs():
    """Audio the server resamples or hands to ffmpeg: {file name: a function giving the pipeline's input}.

    WAVs at 8 and 44.1 kHz go to the pipelines as samples with their rate, resampled by torchaudio's
    algorithm (models/torchaudio_resample.py; the server's Resampler is the same algorithm in Java).
    FLAC, MP3, OGG/Opus and M4A/AAC go as bytes, which the pipelines decode with ffmpeg, as the
    server does when ffmpeg is installed.
    """
    torchaudio_resample.install()
    inputs = {}
    for rate, name in [(8000, "digits-8k.wav"), (44100, "digits-44k.wav")]:
        path = os.path.join(AUDIO, name)
        sf.write(path, speech_at(rate, "seven three nine"), rate, subtype="PCM_16")
        read, _ = sf.read(path, dtype="float32")
        inputs[name] = lambda read=read, rate=rate: {"raw": read, "sampling_rate": rate}
    source = os.path.join(AUDIO, "digits-16bit.wav")
    for name, codec in [("digits.flac", ["-c:a", "flac"]), ("digits.mp3", ["-c:a", "libmp3lame", "-b:a", "48k"]),
                        ("digits.ogg", ["-c:a", "libopus", "-b:a", "24k"]), ("digits.m4a", ["-c:a", "aac", "-b:a", "48k"])]:
        path = os.path.join(AUDIO, name)
        subprocess.run(["ffmpeg", "-y", "-hide_banner", "-loglevel", "error", "-i", source, *codec, "-map_metadata", "-1",
                        "-fflags", "+bitexact", "-flags:a", "+bitexact", path], check=True)
        with open(path, "rb") as f:
            data = f.read()
        inputs[name] = lambda data=data: data
    return inputs


def case(model, inputs, parameters, expected):
    return {"model": model, "inputs": inputs, "parameters": parameters, "expected": expected}


def make_audio_classifier(files, others):
    from transformers import Wav2Vec2Config, Wav2Vec2FeatureExtractor, Wav2Vec2ForSequenceClassification
    torch.manual_seed(101)
    labels = ["yes", "no", "up", "down", "silence", "unknown"]
    config = Wav2Vec2Config(hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64,
                            conv_dim=(16, 16, 16), conv_stride=(5, 4, 4), conv_kernel=(10, 8, 8), num_feat_extract_layers=3,
                            num_conv_pos_embeddings=16, num_conv_pos_embedding_groups=4, feat_extract_norm="group",
                            do_stable_layer_norm=False, num_labels=len(labels), id2label=dict(enumerate(labels)),
                            label2id={l: i for i, l in enumerate(labels)}, classifier_proj_size=16, initializer_range=0.2)
    model = Wav2Vec2ForSequenceClassification(config).eval()
    extractor = Wav2Vec2FeatureExtractor(feature_size=1, sampling_rate=RATE, padding_value=0.0, do_normalize=True,
                                         return_attention_mask=False)
    out = fx.fresh_dir(os.path.join(fx.TEST_MODELS, "tiny-wav2vec2-audio"))
    hf = fx.save_hf_folder(model, extractor, out)
    example = {"input_values": torch.randn(2, 4000)}
    fx.export_onnx(fx.OutputsOf(model, ["input_values"], ["logits"]), example, ["input_values"], ["logits"],
                   {"input_values": {0: "batch", 1: "samples"}, "logits": {0: "batch"}}, os.path.join(out, "model.onnx"))
    classify = pipeline("audio-classification", model=hf, feature_extractor=hf)
    cases = []
    for params in [{}, {"top_k": 2}, {"top_k": 10}]:
        for name, samples in files.items():
            cases.append(case("tiny-wav2vec2-audio", name, params,
                              classify({"raw": samples, "sampling_rate": RATE}, **params)))
        for name, given in others.items():
            cases.append(case("tiny-wav2vec2-audio", name, params, classify(given(), **params)))
    fx.write_json(os.path.join(fx.REFERENCES, "audio-classification.json"), cases)


def ctc_model():
    """The tiny seeded wav2vec2 CTC model, its feature extractor and tokenizer."""
    import json

    from transformers import Wav2Vec2Config, Wav2Vec2CTCTokenizer, Wav2Vec2FeatureExtractor, Wav2Vec2ForCTC
    torch.manual_seed(102)
    letters = list("abcdeghilnorstuvw'")
    vocab = {"<pad>": 0, "<s>": 1, "</s>": 2, "<unk>": 3, "|": 4, **{c: i + 5 for i, c in enumerate(letters)}}
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "vocab.json"), "w") as f:
            json.dump(vocab, f)
        tokenizer = Wav2Vec2CTCTokenizer(os.path.join(tmp, "vocab.json"), word_delimiter_token="|")
    config = Wav2Vec2Config(hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64,
                            conv_dim=(16, 16, 16), conv_stride=(5, 4, 4), conv_kernel=(10, 8, 8), num_feat_extract_layers=3,
                            num_conv_pos_embeddings=16, num_conv_pos_embedding_groups=4, feat_extract_norm="group",
                            do_stable_layer_norm=False, vocab_size=len(vocab), pad_token_id=0, initializer_range=0.2)
    model = Wav2Vec2ForCTC(config).eval()
    with torch.no_grad():  # sharper, more varied predictions from random weights
        model.lm_head.weight.normal_(0, 2.0)
    extractor = Wav2Vec2FeatureExtractor(feature_size=1, sampling_rate=RATE, padding_value=0.0, do_normalize=True,
                                         return_attention_mask=False)
    return model, extractor, tokenizer


def make_ctc_recogniser(files, others):
    model, extractor, tokenizer = ctc_model()
    out = fx.fresh_dir(os.path.join(fx.TEST_MODELS, "tiny-wav2vec2-ctc"))
    hf = fx.save_hf_folder(model, extractor, out)
    tokenizer.save_pretrained(out)
    tokenizer.save_pretrained(hf)
    fx.export_onnx(fx.OutputsOf(model, ["input_values"], ["logits"]), {"input_values": torch.randn(2, 4000)}, ["input_values"],
                   ["logits"], {"input_values": {0: "batch", 1: "samples"}, "logits": {0: "batch", 1: "frames"}},
                   os.path.join(out, "model.onnx"))
    asr = pipeline("automatic-speech-recognition", model=hf, tokenizer=hf, feature_extractor=hf)
    cases = []
    for params in [{}, {"return_timestamps": "char"}, {"return_timestamps": "word"},
                   {"chunk_length_s": 0.5, "stride_length_s": 0.1}, {"chunk_length_s": 0.4, "return_timestamps": "word"}]:
        for name in ["digits-16bit.wav", "stereo-16bit.wav", "silence-16bit.wav", "clipped-16bit.wav", "short-16bit.wav"]:
            cases.append(case("tiny-wav2vec2-ctc", name, params, asr({"raw": files[name], "sampling_rate": RATE}, **params)))
    for params in [{}, {"return_timestamps": "word"}]:
        for name, given in others.items():
            cases.append(case("tiny-wav2vec2-ctc", name, params, asr(given(), **params)))
    fx.write_json(os.path.join(fx.REFERENCES, "speech-recognition.json"), cases)


def make_whisper_features_reference(files):
    """WhisperFeatureExtractor's log-mel features of one clip: the first 200 frames of each band."""
    from transformers import WhisperFeatureExtractor
    extractor = WhisperFeatureExtractor(feature_size=80, sampling_rate=RATE)
    features = extractor(files["digits-16bit.wav"], sampling_rate=RATE, return_tensors="np")["input_features"][0]
    fx.write_json(os.path.join(fx.REFERENCES, "whisper-log-mel.json"),
                  {"audio": "digits-16bit.wav", "mels": 80, "frames": int(features.shape[1]),
                   "first_frames": features[:, :200].tolist()})


def make_whisper_classifier(files, others):
    """WhisperForAudioClassification: log-mel input_features [80, 3000] instead of raw samples."""
    from transformers import WhisperConfig, WhisperFeatureExtractor, WhisperForAudioClassification
    torch.manual_seed(103)
    labels = ["speech", "music", "noise"]
    config = WhisperConfig(d_model=32, encoder_layers=2, encoder_attention_heads=4, encoder_ffn_dim=64, decoder_layers=1,
                           decoder_attention_heads=4, decoder_ffn_dim=64, num_mel_bins=80, max_source_positions=1500,
                           vocab_size=100, num_labels=len(labels), classifier_proj_size=16, init_std=0.2,
                           id2label=dict(enumerate(labels)), label2id={l: i for i, l in enumerate(labels)})
    model = WhisperForAudioClassification(config).eval()
    extractor = WhisperFeatureExtractor(feature_size=80, sampling_rate=RATE)
    out = fx.fresh_dir(os.path.join(fx.TEST_MODELS, "tiny-whisper-audio"))
    hf = fx.save_hf_folder(model, extractor, out)
    fx.export_onnx(fx.OutputsOf(model, ["input_features"], ["logits"]), {"input_features": torch.randn(2, 80, 3000)},
                   ["input_features"], ["logits"], {"input_features": {0: "batch"}, "logits": {0: "batch"}},
                   os.path.join(out, "model.onnx"))
    classify = pipeline("audio-classification", model=hf, feature_extractor=hf)
    cases = []
    for name in ["digits-16bit.wav", "stereo-16bit.wav", "silence-16bit.wav", "clipped-16bit.wav"]:
        cases.append(case("tiny-whisper-audio", name, {}, classify({"raw": files[name], "sampling_rate": RATE})))
    for name in ["digits-44k.wav", "digits.mp3"]:
        cases.append(case("tiny-whisper-audio", name, {}, classify(others[name]())))
    fx.write_json(os.path.join(fx.REFERENCES, "audio-classification-log-mel.json"), cases)


# stride_length_s as [left, right], which the pipeline also takes
STRIDE_PAIRS = [{"chunk_length_s": 0.5, "stride_length_s": [0.1, 0.05]}, {"chunk_length_s": 0.6, "stride_length_s": [0.05, 0.15]}]


def make_stride_pair_references():
    """speech-recognition-strides.json: the committed tiny-wav2vec2-ctc (rebuilt from its seed and checked against
    its model.onnx) on the committed recordings, with a left and a right stride of their own."""
    import onnxruntime as ort

    model, extractor, tokenizer = ctc_model()
    folder = os.path.join(fx.TEST_MODELS, "tiny-wav2vec2-ctc")
    probe = np.random.default_rng(0).standard_normal((1, 4000)).astype(np.float32)
    exported = ort.InferenceSession(os.path.join(folder, "model.onnx")).run(None, {"input_values": probe})[0]
    with torch.no_grad():
        assert np.abs(model(torch.from_numpy(probe)).logits.numpy() - exported).max() < 1e-4, "not the committed model"
    hf = tempfile.mkdtemp(prefix="infera-hf-")
    model.save_pretrained(hf)
    extractor.save_pretrained(hf)
    tokenizer.save_pretrained(hf)
    asr = pipeline("automatic-speech-recognition", model=hf, tokenizer=hf, feature_extractor=hf)
    cases = []
    for params in STRIDE_PAIRS:
        for name in ["digits-16bit.wav", "spoken-digits-1.wav"]:
            audio, rate = sf.read(os.path.join(AUDIO, name), dtype="float32")
            cases.append(case("tiny-wav2vec2-ctc", name, params, asr({"raw": audio, "sampling_rate": rate}, **params)))
    fx.write_json(os.path.join(fx.REFERENCES, "speech-recognition-strides.json"), cases)


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["strides"]:
        make_stride_pair_references()
        sys.exit(0)
    files = make_audio_files()
    others = make_other_inputs()
    make_whisper_features_reference(files)
    make_whisper_classifier(files, others)
    make_audio_classifier(files, others)
    make_ctc_recogniser(files, others)
    make_stride_pair_references()
    print("wrote", AUDIO, "and", fx.REFERENCES)
