"""Tiny seeded models and Hugging Face pipeline references for the text-understanding tasks of
issue #5 (token-classification, fill-mask, zero-shot-classification ...), written under
src/test/resources/models and src/test/resources/reference like make_test_models.py.

Run in the legacy overlay (models/setup_python_legacy.sh says why: transformers 4.57.6 still has
every one of these pipelines, and its tokenizers 0.22.2 windows long texts completely):

    PYTHONPATH=models/.legacy models/.venv/bin/python models/make_text_task_models.py

The outputs are committed; CI never runs this script.
"""
import os

import tokenizers
import torch
import transformers
from transformers import pipeline

if transformers.__version__ != "4.57.6" or tokenizers.__version__ != "0.22.2":
    raise SystemExit("run with PYTHONPATH=models/.legacy (models/setup_python_legacy.sh): found transformers "
                     + transformers.__version__ + ", tokenizers " + tokenizers.__version__)

import fixtures as fx
from make_test_models import TEXTS, bert_config, case, export_text_model

NER_LABELS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "MISC"]
LONG = ("Richard Stallman founded the Free Software Foundation in Boston, and Linus Torvalds wrote Linux "
        "in Helsinki; Debian was started by Ian Murdock. ") * 8  # well over 128 tokens
NER_TEXTS = TEXTS[:5] + ["Zoë Ørsted met 中村 in São Paulo 🙂 at the ACME Corp.", "x" * 40 + " unbrokenwordsequence", LONG]


def ner_model(name, seed, tokenizer, make_config):
    from transformers import AutoModelForTokenClassification
    torch.manual_seed(seed)
    labels = {"id2label": dict(enumerate(NER_LABELS)), "label2id": {l: i for i, l in enumerate(NER_LABELS)}}
    model = AutoModelForTokenClassification.from_config(make_config(num_labels=len(NER_LABELS), **labels)).eval()
    out = fx.fresh_dir(os.path.join(fx.TEST_MODELS, name))
    hf = fx.save_hf_folder(model, tokenizer, out)
    export_text_model(model, tokenizer, out, ["logits"], per_token=("logits",))
    return hf


def make_token_classifiers():
    from transformers import RobertaConfig
    cases = []
    bert = ner_model("tiny-bert-ner", 31, fx.wordpiece_tokenizer(), lambda **kw: bert_config(**kw))
    roberta = ner_model("tiny-roberta-ner", 32, fx.byte_bpe_tokenizer(), lambda **kw: RobertaConfig(
        vocab_size=1000, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64,
        max_position_embeddings=130, pad_token_id=1, bos_token_id=0, eos_token_id=2, initializer_range=0.2, **kw))
    for name, hf in [("tiny-bert-ner", bert), ("tiny-roberta-ner", roberta)]:
        ner = pipeline("token-classification", model=hf, tokenizer=hf)
        params_list = [{}, {"aggregation_strategy": "simple"}, {"aggregation_strategy": "first"},
                       {"aggregation_strategy": "average"}, {"aggregation_strategy": "max"},
                       {"aggregation_strategy": "simple", "ignore_labels": []},
                       {"aggregation_strategy": "none", "ignore_labels": ["O", "MISC"]}]
        for params in params_list:
            for text in NER_TEXTS:
                cases.append(case(name, text, params, ner(text, **params)))
        for params in [{"aggregation_strategy": "simple", "stride": 16}, {"aggregation_strategy": "first", "stride": 32},
                       {"aggregation_strategy": "max", "stride": 8, "ignore_labels": []}]:
            for text in [LONG, NER_TEXTS[5]]:
                cases.append(case(name, text, params, ner(text, **params)))
    fx.write_json(os.path.join(fx.REFERENCES, "token-classification.json"), to_plain(cases))


def make_fill_mask_models():
    from transformers import BertForMaskedLM, RobertaConfig, RobertaForMaskedLM
    cases = []
    for name, seed, tok, make in [
            ("tiny-bert-mlm", 41, fx.wordpiece_tokenizer(), lambda: BertForMaskedLM(bert_config())),
            ("tiny-roberta-mlm", 42, fx.byte_bpe_tokenizer(), lambda: RobertaForMaskedLM(RobertaConfig(
                vocab_size=1000, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64,
                max_position_embeddings=130, pad_token_id=1, bos_token_id=0, eos_token_id=2, initializer_range=0.2)))]:
        torch.manual_seed(seed)
        model = make().eval()
        out = fx.fresh_dir(os.path.join(fx.TEST_MODELS, name))
        hf = fx.save_hf_folder(model, tok, out)
        export_text_model(model, tok, out, ["logits"], per_token=("logits",))
        fill = pipeline("fill-mask", model=hf, tokenizer=hf)
        m = tok.mask_token
        texts = [f"The software is provided {m} is, without warranty.", f"{m}", f"Café {m} résumé 中文 🙂",
                 f"{m} and {m} in one line.", f"  {m}  "]
        for params in [{}, {"top_k": 2}, {"targets": ["software", "license", "the"]}, {"targets": "license", "top_k": 3},
                       {"targets": ["redistribution", "zzzq"], "top_k": 10}]:
            for text in texts:
                cases.append(case(name, text, params, fill(text, **params)))
    fx.write_json(os.path.join(fx.REFERENCES, "fill-mask.json"), to_plain(cases))


def make_zero_shot_model():
    from transformers import BertForSequenceClassification
    torch.manual_seed(51)
    labels = ["contradiction", "neutral", "entailment"]
    model = BertForSequenceClassification(bert_config(
        num_labels=3, id2label=dict(enumerate(labels)), label2id={l: i for i, l in enumerate(labels)})).eval()
    tok = fx.wordpiece_tokenizer()
    out = fx.fresh_dir(os.path.join(fx.TEST_MODELS, "tiny-bert-nli"))
    hf = fx.save_hf_folder(model, tok, out)
    with open(os.path.join(out, "serving.yaml"), "w") as f:
        f.write("# An NLI classifier served for zero-shot classification (config.json alone says text-classification).\n"
                "task: zero-shot-classification\n")
    export_text_model(model, tok, out, ["logits"])
    zero = pipeline("zero-shot-classification", model=hf, tokenizer=hf)
    cases = []
    for params in [{"candidate_labels": ["licence", "warranty", "software", "music"]},
                   {"candidate_labels": "licence, warranty ,software,, music"},
                   {"candidate_labels": ["licence", "warranty", "software"], "multi_label": True},
                   {"candidate_labels": ["licence"]},
                   {"candidate_labels": ["free", "proprietary"], "hypothesis_template": "This licence is {} software."}]:
        # The pipeline refuses ""; LONG is truncated on the text's side only.
        for text in [t for t in TEXTS[:5] if t] + ["Zoë Ørsted met 中村 in São Paulo 🙂", LONG]:
            cases.append(case("tiny-bert-nli", text, params, zero(text, **params)))
    fx.write_json(os.path.join(fx.REFERENCES, "zero-shot-classification.json"), to_plain(cases))


QA_CONTEXT = ("The GNU General Public License is a free, copyleft license for software and other kinds of works. "
              "The licenses for most software are designed to take away your freedom to share and change it. "
              "By contrast, the GNU General Public License is intended to guarantee your freedom to share and "
              "change all versions of a program, to make sure it remains free software for all its users.")
QA_CASES = [
    {"question": "What kind of license is the GPL?", "context": QA_CONTEXT},
    {"question": "Who is the software for?", "context": "Free software is for all its users, Zoë and 中村 included 🙂."},
    {"question": "What do most licenses take away?", "context": QA_CONTEXT * 3},  # several windows
    {"question": "  Why?  ", "context": "Because the   licence says so, with extra   spaces and tabs\tinside."},
]


def make_question_answering_models():
    from transformers import BertForQuestionAnswering, RobertaConfig, RobertaForQuestionAnswering
    cases = []
    for name, seed, tok, make in [
            ("tiny-bert-qa", 61, fx.wordpiece_tokenizer(), lambda: BertForQuestionAnswering(bert_config())),
            ("tiny-roberta-qa", 62, fx.byte_bpe_tokenizer(), lambda: RobertaForQuestionAnswering(RobertaConfig(
                vocab_size=1000, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64,
                max_position_embeddings=130, pad_token_id=1, bos_token_id=0, eos_token_id=2, initializer_range=0.2)))]:
        torch.manual_seed(seed)
        model = make().eval()
        out = fx.fresh_dir(os.path.join(fx.TEST_MODELS, name))
        hf = fx.save_hf_folder(model, tok, out)
        export_text_model(model, tok, out, ["start_logits", "end_logits"], per_token=("start_logits", "end_logits"))
        qa = pipeline("question-answering", model=hf, tokenizer=hf)
        for params in [{}, {"top_k": 3}, {"max_answer_len": 3}, {"handle_impossible_answer": True},
                       {"max_seq_len": 48, "doc_stride": 16}, {"max_seq_len": 64, "doc_stride": 32, "top_k": 2},
                       {"align_to_words": False}]:
            for item in QA_CASES:
                cases.append(case(name, item, params, qa(question=item["question"], context=item["context"], **params)))
    fx.write_json(os.path.join(fx.REFERENCES, "question-answering.json"), to_plain(cases))


MC_CASES = [
    {"question": "The GPL is a license that", "choices": ["guarantees freedom to share", "forbids sharing", "is about music"]},
    {"question": "Redistribution is", "choices": ["permitted", "not permitted"]},
    {"question": "Zoë met 中村 in", "choices": ["São Paulo 🙂", "Helsinki", "Boston, where the Free Software Foundation is", "x"]},
    {"question": "One choice only:", "choices": ["yes"]},
]


def make_multiple_choice_model():
    from transformers import BertForMultipleChoice
    torch.manual_seed(71)
    model = BertForMultipleChoice(bert_config()).eval()
    tok = fx.wordpiece_tokenizer()
    out = fx.fresh_dir(os.path.join(fx.TEST_MODELS, "tiny-bert-mc"))
    fx.save_hf_folder(model, tok, out)
    names = list(tok.model_input_names)

    def encode(item):
        n = len(item["choices"])
        batch = tok([item["question"]] * n, item["choices"], padding=True, truncation=True, return_tensors="pt")
        return {k: v.unsqueeze(0) for k, v in batch.items()}

    example = encode(MC_CASES[0])
    wrapped = fx.OutputsOf(model, names, ["logits"])
    axes = {n: {0: "batch", 1: "choices", 2: "sequence"} for n in names}
    axes["logits"] = {0: "batch", 1: "choices"}
    fx.export_onnx(wrapped, example, names, ["logits"], axes, os.path.join(out, "model.onnx"))
    ts_dir = fx.torchscript_variant(out, [(n, "INT64", [-1, -1, -1]) for n in names], [("logits", "FP32", [-1, -1])])
    fx.export_torchscript(wrapped, example, names, [encode(c) for c in MC_CASES[1:]], os.path.join(ts_dir, "model.pt"))
    cases = []
    for item in MC_CASES:
        with torch.no_grad():
            scores = model(**encode(item)).logits.softmax(-1)[0].tolist()
        # No transformers pipeline exists for multiple choice: the reference is the model's softmax, ranked.
        ranked = sorted(range(len(scores)), key=lambda i: -scores[i])
        cases.append(case("tiny-bert-mc", item, {}, [{"choice": item["choices"][i], "index": i, "score": scores[i]}
                                                   for i in ranked]))
    fx.write_json(os.path.join(fx.REFERENCES, "multiple-choice.json"), cases)


TABLE = {"Package": ["gnome-shell", "vlc", "gimp", "inkscape", "0ad"],
         "Section": ["gnome", "video", "graphics", "graphics", "games"],
         "Installed size": ["12,345", "4.5", "22000", "n/a", "1000"],
         "Rank": ["first", "3rd", "2", "five", "4"]}
TABLES = [TABLE,
          {"Year": ["1993", "2000", "2005", "2023"], "Release": ["Debian 0.01", "potato", "sarge", "bookworm"],
           "Packages": ["474", "3,900", "15,400", "63,465"]},
          {"City": ["São Paulo", "Helsinki", "中村"], "Population": ["12.3", "0.66", ""]}]
LONG_TABLE = {"Name": [f"package number {i} with a long name" for i in range(40)],
              "Size": [str(i * 37 % 101) for i in range(40)]}
DATES = {"When": ["January 5, 2010", "2001-03-04", "March 2005", "1990s", "5 May", "2023", "n/a"],
         "Amount": ["-5", "+3.5", "1,000", ".25", "twelve", "3rd", "?"],
         "Mixed": ["1999", "2000", "third", "4", "Sept 2001", "", "ten"]}
TABLE_QUERIES = ["Which packages are in graphics?", "How big is vlc?", "What is the total installed size of gimp and 0ad?",
                 "How many packages rank above 3?", "Which package is first?", "Zoë's 中文 question 🙂 about 22000?"]
ENCODING_CASES = [(TABLES[0], q) for q in TABLE_QUERIES] + [
    (DATES, "What happened on 4 March 2001 or after 2005?"), (DATES, "amounts over -2 and below 1,000"),
    (DATES, "Which is the third one in the 1990s?"), (LONG_TABLE, "Which size is 55?"),
    (TABLES[1], "How many packages in 2005 or 3,900?"), (TABLES[2], "Population of more than 1 million?")]


def make_table_qa_model():
    import pandas as pd
    from transformers import TapasConfig, TapasForQuestionAnswering, TapasTokenizer
    import tapas_export

    out = fx.fresh_dir(os.path.join(fx.TEST_MODELS, "tiny-tapas"))
    words = fx.wordpiece_tokenizer()
    vocab = sorted(words.get_vocab().items(), key=lambda kv: kv[1])
    vocab_file = os.path.join(out, "vocab.txt")
    with open(vocab_file, "w", encoding="utf-8") as f:
        for token, _ in vocab:
            f.write(token + "\n")
        f.write("[EMPTY]\n")
    tok = TapasTokenizer(vocab_file, model_max_length=128)
    tok.save_pretrained(out)
    # The same vocabulary as a fast tokenizer (tokenizer.json) for Infera, which tokenizes each cell with it.
    from transformers import BertTokenizerFast
    BertTokenizerFast(vocab_file, do_lower_case=True, model_max_length=128).save_pretrained(out)
    torch.manual_seed(81)
    config = TapasConfig(vocab_size=len(vocab) + 1, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                         intermediate_size=64, max_position_embeddings=128, initializer_range=1.0,
                         num_aggregation_labels=4, aggregation_labels={0: "NONE", 1: "SUM", 2: "AVERAGE", 3: "COUNT"},
                         no_aggregation_label_index=0, select_one_column=True, allow_empty_column_selection=False,
                         init_cell_selection_weights_to_zero=False, reset_position_index_per_cell=True)
    model = TapasForQuestionAnswering(config).eval()
    # Cell selection weights are random too, so that different queries pick different cells.
    with torch.no_grad():
        model.output_weights.normal_(0, 3.0)
        model.column_output_weights.normal_(0, 3.0)
    hf = fx.save_hf_folder(model, tok, out)
    os.remove(vocab_file) if False else None
    table = pd.DataFrame.from_dict(TABLE)

    def encode(query, t=table):
        return {k: v for k, v in tok(table=t, queries=query, truncation="drop_rows_to_fit", return_tensors="pt").items()}

    tapas_export.export(model, encode(TABLE_QUERIES[0]), os.path.join(out, "model.onnx"),
                        [encode(q) for q in TABLE_QUERIES[1:]])
    with open(os.path.join(out, "serving.yaml"), "w") as f:
        f.write("# The ONNX export has batch size 1 (see models/tapas_export.py).\nbatching: {max_batch_size: 1}\n")
    qa = pipeline("table-question-answering", model=hf, tokenizer=tok)
    cases = []
    for t in TABLES:
        for query in TABLE_QUERIES:
            cases.append(case("tiny-tapas", {"table": t, "query": query}, {}, qa(table=t, query=query)))
    fx.write_json(os.path.join(fx.REFERENCES, "table-question-answering.json"), to_plain(cases))
    # The TAPAS token types themselves, for tables that exercise numbers, dates and dropped rows.
    encodings = []
    for t, query in ENCODING_CASES:
        e = tok(table=pd.DataFrame.from_dict(t), queries=query, truncation="drop_rows_to_fit")
        encodings.append({"table": t, "query": query, "input_ids": e["input_ids"], "token_type_ids": e["token_type_ids"]})
    fx.write_json(os.path.join(fx.REFERENCES, "tapas-encoding.json"), encodings)


VQA_CASES = [("astronaut.png", "What is the person wearing?"), ("coffee.png", "What is in the cup?"),
             ("camera-grey.png", "Is it a man?"), ("chelsea-rgba.png", "What animal is this?"),
             ("chelsea-palette.png", "Zoë's 中文 question 🙂?"), ("coffee.jpg", "  how many?  ")]


def make_visual_question_answering_model():
    """ViLT: the question through the tokenizer and the picture through the image processor, together;
    answers ranked by sigmoid over the answer vocabulary of config.json."""
    import numpy as np
    import onnxruntime as ort
    from PIL import Image
    from transformers import BertTokenizerFast, ViltConfig, ViltForQuestionAnswering, ViltImageProcessor, ViltProcessor

    import vilt_export
    torch.manual_seed(97)
    out = fx.fresh_dir(os.path.join(fx.TEST_MODELS, "tiny-vilt"))
    answers = ["yes", "no", "cat", "coffee", "two", "red", "space suit", "nothing"]
    config = ViltConfig(vocab_size=1000, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64,
                        image_size=64, patch_size=16, max_position_embeddings=40, num_labels=len(answers),
                        id2label=dict(enumerate(answers)), label2id={a: i for i, a in enumerate(answers)}, initializer_range=0.2)
    model = ViltForQuestionAnswering(config).eval()
    tok = fx.wordpiece_tokenizer(model_max_length=40)
    images = ViltImageProcessor(size={"shortest_edge": 64}, size_divisor=32, resample=3)
    processor = ViltProcessor(image_processor=images, tokenizer=tok)
    hf = fx.save_hf_folder(model, processor, out)
    names = ["input_ids", "attention_mask", "token_type_ids", "pixel_values", "pixel_mask"]

    def encode(image, question):
        picture = Image.open(os.path.join(fx.TEST_IMAGES, image)).convert("RGB")
        return {k: v for k, v in processor(images=picture, text=question, return_tensors="pt").items()}

    example = encode(*VQA_CASES[0])
    axes = {"input_ids": {0: "batch", 1: "sequence"}, "attention_mask": {0: "batch", 1: "sequence"},
            "token_type_ids": {0: "batch", 1: "sequence"}, "pixel_values": {0: "batch", 2: "height", 3: "width"},
            "pixel_mask": {0: "batch", 1: "height", 2: "width"}, "logits": {0: "batch"}}
    path = os.path.join(out, "model.onnx")
    with vilt_export.exportable(), torch.no_grad():
        torch.onnx.export(fx.OutputsOf(model, names, ["logits"]), tuple(example[n] for n in names), path,
                          input_names=names, output_names=["logits"], dynamic_axes=axes, opset_version=17, dynamo=False)
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    for image, question in VQA_CASES:
        inputs = encode(image, question)
        with torch.no_grad():
            expected = model(**inputs).logits.numpy()  # the original visual_embed, patches in random order
        # pixel_mask is all ones for one picture and the export does not read it: ONNX drops it.
        feeds = {i.name: inputs[i.name].numpy() for i in session.get_inputs()}
        actual = session.run(None, feeds)[0]
        assert np.max(np.abs(expected - actual)) < 1e-4, (image, np.max(np.abs(expected - actual)))
    # The ONNX export reads no pixel mask (models/vilt_export.py): the server batches a picture only with pictures of its size.
    vqa = pipeline("visual-question-answering", model=hf)
    cases = []
    for params in [{}, {"top_k": 2}, {"top_k": 20}]:
        for image, question in VQA_CASES:
            cases.append(case("tiny-vilt", {"image": image, "question": question}, params,
                              vqa(image=os.path.join(fx.TEST_IMAGES, image), question=question, **params)))
    fx.write_json(os.path.join(fx.REFERENCES, "visual-question-answering.json"), to_plain(cases))


def to_plain(value):
    """numpy scalars (the pipelines return float32 scores) as plain JSON numbers."""
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    if hasattr(value, "item"):
        return value.item()
    return value


if __name__ == "__main__":
    make_token_classifiers()
    make_fill_mask_models()
    make_zero_shot_model()
    make_question_answering_models()
    make_multiple_choice_model()
    make_table_qa_model()
    make_visual_question_answering_model()
    print("wrote", fx.TEST_MODELS, "and", fx.REFERENCES)
