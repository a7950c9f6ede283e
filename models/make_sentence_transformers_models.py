"""tiny-st-short: a sentence-transformers folder as the hub's models have them (the layout of
sentence-transformers 2 to 5: modules.json, sentence_bert_config.json, 1_Pooling/config.json flags,
2_Normalize), whose sentence_bert_config.json cuts texts at 8 tokens and lower-cases them
(max_seq_length, do_lower_case) over a cased tokenizer that says 128 tokens; and the embeddings that
sentence-transformers' encode gives for that folder, which the server must equal.

Run: models/.venv/bin/python models/make_sentence_transformers_models.py
"""
import json
import os
import shutil
import tempfile

import numpy as np
import torch
from sentence_transformers import SentenceTransformer
from tokenizers import BertWordPieceTokenizer
from tokenizers.processors import TemplateProcessing
from transformers import BertConfig, BertModel, BertTokenizerFast

import fixtures as fx

TEXTS = ["Permission is hereby granted, free of charge, to any person obtaining a copy of this software",
         "THE SOFTWARE IS PROVIDED AS IS, WITHOUT WARRANTY OF ANY KIND", "short", "Copyright notice and this permission notice"]
# what sentence-transformers 2 to 5 wrote; sentence-transformers 6 still reads it
LEGACY = {
    "modules.json": [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
                     {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
                     {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}],
    "sentence_bert_config.json": {"max_seq_length": 8, "do_lower_case": True},
    "1_Pooling/config.json": {"word_embedding_dimension": 32, "pooling_mode_cls_token": False, "pooling_mode_mean_tokens": True,
                              "pooling_mode_max_tokens": False, "pooling_mode_mean_sqrt_len_tokens": False,
                              "pooling_mode_weightedmean_tokens": False, "pooling_mode_lasttoken": False, "include_prompt": True},
    "config_sentence_transformers.json": {"__version__": {"sentence_transformers": "3.0.1", "transformers": "4.41.2",
                                                          "pytorch": "2.3.0"},
                                          "prompts": {}, "default_prompt_name": None, "similarity_fn_name": "cosine"},
}


def cased_wordpiece_tokenizer():
    """A cased BERT WordPiece tokenizer trained on the licence corpus: do_lower_case changes its tokens."""
    tok = BertWordPieceTokenizer(lowercase=False)
    tok.train(fx.license_corpus(), vocab_size=1000, special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"],
              show_progress=False)
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok._tokenizer.post_processor = TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1", special_tokens=[("[CLS]", cls), ("[SEP]", sep)])
    return BertTokenizerFast(tokenizer_object=tok._tokenizer, model_max_length=128, do_lower_case=False,
                             model_input_names=["input_ids", "token_type_ids", "attention_mask"])


def main():
    torch.manual_seed(17)
    out = fx.fresh_dir(os.path.join(fx.TEST_MODELS, "tiny-st-short"))
    tokenizer = cased_wordpiece_tokenizer()
    config = BertConfig(vocab_size=1000, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64,
                        max_position_embeddings=128, initializer_range=0.2)
    bert = BertModel(config, add_pooling_layer=False).eval()
    hf = tempfile.mkdtemp(prefix="infera-hf-")
    bert.save_pretrained(hf)
    tokenizer.save_pretrained(hf)
    for name in os.listdir(hf):
        shutil.copy(os.path.join(hf, name), os.path.join(out, name))
    for name, content in LEGACY.items():
        os.makedirs(os.path.dirname(os.path.join(out, name)), exist_ok=True)
        with open(os.path.join(out, name), "w") as f:
            json.dump(content, f, indent=2)
    os.makedirs(os.path.join(out, "2_Normalize"), exist_ok=True)
    st = SentenceTransformer(out, device="cpu")  # the hub layout, as sentence-transformers reads it
    assert st.max_seq_length == 8, st.max_seq_length
    names = ["input_ids", "token_type_ids", "attention_mask"]
    example = {k: v for k, v in tokenizer(TEXTS[:2], padding=True, return_tensors="pt").items()}
    fx.export_onnx(fx.OutputsOf(bert, names, ["last_hidden_state"]), example, names, ["last_hidden_state"],
                   {n: {0: "batch", 1: "sequence"} for n in names + ["last_hidden_state"]}, os.path.join(out, "model.onnx"))
    embeddings = st.encode(TEXTS, convert_to_numpy=True)
    # both settings bite: the long texts are cut at 8 tokens, and the upper-case one is read in lower case
    cut = SentenceTransformer(out, device="cpu")
    cut.max_seq_length = 128
    assert np.abs(cut.encode(TEXTS[:1]) - embeddings[:1]).max() > 1e-3
    # the exported graph with mean pooling and normalisation gives sentence-transformers' embeddings
    import onnxruntime as ort
    session = ort.InferenceSession(os.path.join(out, "model.onnx"))
    for text, expected in zip(TEXTS, embeddings):
        encoded = tokenizer(text.lower(), truncation=True, max_length=8, return_tensors="np")
        states = session.run(None, {n: encoded[n] for n in names})[0][0]
        pooled = states.mean(axis=0)
        assert np.abs(pooled / np.linalg.norm(pooled) - expected).max() < 1e-5, text
    for name in os.listdir(out):  # the weights live in model.onnx
        if name.endswith((".safetensors", ".bin")):
            os.remove(os.path.join(out, name))
    fx.write_json(os.path.join(fx.REFERENCES, "sentence-transformers-short.json"),
                  [{"model": "tiny-st-short", "inputs": t, "parameters": {}, "expected": e.tolist()} for t, e in zip(TEXTS, embeddings)])
    shutil.rmtree(hf)
    print("wrote tiny-st-short:", sorted(os.listdir(out)))


if __name__ == "__main__":
    main()
