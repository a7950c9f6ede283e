"""The text-generation bench model (loadtest/generation.sh), written to loadtest/generation-models/
(not committed): a GPT-2 with random weights (8 layers, hidden 512, GPT-2's real vocabulary),
exported with its cache as make_generation_models.py exports the tiny one. Speed does not depend
on the weights."""
import os
import sys
import shutil

import torch
from transformers import GenerationConfig, GPT2Config, GPT2LMHeadModel

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures"))
import fixtures as fx  # noqa: E402 (the shared helpers live in fixtures/)
from make_generation_models import export, gpt2_tokenizer

OUT = os.path.join(fx.REPO, "loadtest", "generation-models", "gpt2-bench")

if __name__ == "__main__":
    tokenizer = gpt2_tokenizer()
    torch.manual_seed(301)
    model = GPT2LMHeadModel(GPT2Config(vocab_size=len(tokenizer), n_positions=1024, n_embd=512, n_layer=8, n_head=8,
                                       bos_token_id=50256, eos_token_id=50256)).eval()
    if os.path.exists(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    model.config.architectures = ["GPT2LMHeadModel"]
    model.config.save_pretrained(OUT)
    GenerationConfig(bos_token_id=50256, eos_token_id=50256, max_new_tokens=64).save_pretrained(OUT)
    tokenizer.save_pretrained(OUT)
    export(model, os.path.join(OUT, "model.onnx"))
    with open(os.path.join(OUT, "serving.yaml"), "w") as f:
        f.write("onnx: {intra_op_threads: 2, inter_op_threads: 1, spinning: false}\n")
    print("wrote", OUT)
