"""Drives a running Infera server's /v1/audio routes with OpenAI's own Python client on a
Whisper-style model (OpenAiClientTest).

Prints one JSON object: what the client read for a WAV and an MP3 (json, language given), a
translation, a verbose_json (its segments), a 45 s recording, a prompted transcription, and how
it reported refusals (a temperature, word times).
"""
import json
import sys

import openai

from openai_refusals import refused

base_url, model, wav, mp3, long = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
client = openai.OpenAI(base_url=base_url, api_key="unused", max_retries=0)
out = {}

with open(wav, "rb") as f:
    out["wav"] = client.audio.transcriptions.create(model=model, file=f, language="en").text
with open(mp3, "rb") as f:
    out["mp3"] = client.audio.transcriptions.create(model=model, file=f, language="en").text
with open(wav, "rb") as f:
    out["translation"] = client.audio.translations.create(model=model, file=f).text
with open(wav, "rb") as f:
    verbose = client.audio.transcriptions.create(model=model, file=f, language="en", response_format="verbose_json",
                                                 timestamp_granularities=["segment"])
    out["verbose"] = {"text": verbose.text, "duration": verbose.duration, "language": verbose.language,
                      "segments": [{"start": s.start, "end": s.end, "text": s.text} for s in verbose.segments]}
with open(wav, "rb") as f:
    out["prompted"] = client.audio.transcriptions.create(model=model, file=f, language="en", prompt="seven three").text
with open(long, "rb") as f:
    out["long"] = client.audio.transcriptions.create(model=model, file=f, language="en").text


with open(wav, "rb") as f:
    audio = f.read()
out["errors"] = {
    "temperature": refused(lambda: client.audio.transcriptions.create(model=model, file=("a.wav", audio),
                                                                      temperature=0.4)),
    "words": refused(lambda: client.audio.transcriptions.create(model=model, file=("a.wav", audio),
                                                                response_format="verbose_json",
                                                                timestamp_granularities=["word"])),
    "language": refused(lambda: client.audio.transcriptions.create(model=model, file=("a.wav", audio), language="zz")),
}
print(json.dumps(out))
