"""Drives a running Infera server's /v1/audio routes with OpenAI's own Python client (OpenAiClientTest).

Prints one JSON object: what the client read for a WAV and an MP3 (json), a verbose_json with word
and segment times, the text, srt and vtt formats, a stream's events, and how it reported refusals
(a prompt to a CTC model, a translation, an unknown model).
"""
import json
import sys

import openai

from openai_refusals import refused

base_url, model, wav, mp3 = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
client = openai.OpenAI(base_url=base_url, api_key="unused", max_retries=0)
out = {}

with open(wav, "rb") as f:
    out["wav"] = client.audio.transcriptions.create(model=model, file=f).text
with open(mp3, "rb") as f:
    out["mp3"] = client.audio.transcriptions.create(model=model, file=f).text
with open(wav, "rb") as f:
    verbose = client.audio.transcriptions.create(
        model=model, file=f, response_format="verbose_json", timestamp_granularities=["word", "segment"])
    out["verbose"] = {
        "text": verbose.text,
        "duration": verbose.duration,
        "words": [{"word": w.word, "start": w.start, "end": w.end} for w in verbose.words],
        "segments": [{"start": s.start, "end": s.end, "text": s.text} for s in verbose.segments],
    }
for fmt in ["text", "srt", "vtt"]:
    with open(wav, "rb") as f:
        out[fmt] = client.audio.transcriptions.create(model=model, file=f, response_format=fmt)
with open(wav, "rb") as f:
    events = list(client.audio.transcriptions.create(model=model, file=f, stream=True))
    out["stream"] = {"types": [e.type for e in events],
                     "deltas": "".join(e.delta for e in events if e.type == "transcript.text.delta"),
                     "done": [e.text for e in events if e.type == "transcript.text.done"]}


with open(wav, "rb") as f:
    audio = f.read()
out["errors"] = {
    "prompt": refused(lambda: client.audio.transcriptions.create(model=model, file=("a.wav", audio), prompt="digits")),
    "translation": refused(lambda: client.audio.translations.create(model=model, file=("a.wav", audio))),
    "unknown_model": refused(lambda: client.audio.transcriptions.create(model="no-such-model", file=("a.wav", audio))),
}
print(json.dumps(out))
