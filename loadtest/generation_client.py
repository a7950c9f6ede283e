"""Concurrent streaming clients for the text-generation bench (loadtest/generation.sh); standard
library only.

Each of CONCURRENCY clients (threads) sends REQUESTS streamed /v1/completions requests one after
another (greedy, MAX_TOKENS tokens) and timestamps every event it receives. Prints one JSON line:
tokens per second over the run, time to first token and the gaps between a stream's events
(inter-token latency) at p50 and p99.
"""
import http.client
import json
import sys
import threading
import time
from urllib.parse import urlparse

url, concurrency, requests, max_tokens = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
PROMPTS = ["The quick brown fox", "Once upon a time", "In the beginning", "Hello world, this is", "A serving system",
           "Tokens per second", "Continuous batching lets", "The weather today"]
target = urlparse(url)
lock = threading.Lock()
stats = {"tokens": 0, "ttft": [], "itl": []}


def client(number):
    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=600)
    for i in range(requests):
        body = json.dumps({"model": "gpt2-bench", "prompt": PROMPTS[(number + i) % len(PROMPTS)], "max_tokens": max_tokens,
                           "temperature": 0, "stream": True, "stream_options": {"include_usage": True}})
        sent = time.perf_counter()
        connection.request("POST", "/v1/completions", body, {"Content-Type": "application/json"})
        response = connection.getresponse()
        assert response.status == 200, response.status
        last, ttft, gaps, tokens = None, None, [], 0
        for raw in response:
            line = raw.decode().strip()
            if not line.startswith("data: ") or line == "data: [DONE]":
                continue
            event = json.loads(line[6:])
            now = time.perf_counter()
            if event.get("usage"):
                tokens = event["usage"]["completion_tokens"]
            elif event["choices"][0]["text"]:
                if last is None:
                    ttft = now - sent
                else:
                    gaps.append(now - last)
                last = now
        with lock:
            stats["tokens"] += tokens
            stats["ttft"].append(ttft)
            stats["itl"].extend(gaps)


def percentile(values, p):
    values = sorted(v for v in values if v is not None)
    return values[min(len(values) - 1, int(p / 100 * len(values)))] * 1000 if values else float("nan")


start = time.perf_counter()
threads = [threading.Thread(target=client, args=(n,)) for n in range(concurrency)]
for t in threads:
    t.start()
for t in threads:
    t.join()
elapsed = time.perf_counter() - start
print(json.dumps({"tokens_per_s": stats["tokens"] / elapsed, "tokens": stats["tokens"], "seconds": elapsed,
                  "ttft_p50_ms": percentile(stats["ttft"], 50), "ttft_p99_ms": percentile(stats["ttft"], 99),
                  "itl_p50_ms": percentile(stats["itl"], 50), "itl_p99_ms": percentile(stats["itl"], 99)}))
