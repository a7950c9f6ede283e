"""ViLT as ONNX. Its visual_embed picks image patches with torch.multinomial and Python loops over
the pixel mask, which tracing cannot keep; with a full pixel mask (one picture per row, nothing
padded) it amounts to every patch with its interpolated position embedding, in some order the
transformer does not care about. This replaces it, for export only, with exactly that."""
import contextlib

import torch
from torch import nn
from transformers.models.vilt import modeling_vilt as mv


def _visual_embed_full_mask(self, pixel_values, pixel_mask, max_image_length=200):
    x = self.patch_embeddings(pixel_values)
    batch_size, num_channels, height, width = x.shape
    patch_dim = self.config.image_size // self.config.patch_size
    spatial_pos = self.position_embeddings[:, 1:, :].transpose(1, 2).view(1, num_channels, patch_dim, patch_dim)
    pos_embed = nn.functional.interpolate(spatial_pos, size=(height, width), mode="bilinear", align_corners=True)
    pos_embed = pos_embed.flatten(2).transpose(1, 2).expand(batch_size, -1, -1)
    x = x.flatten(2).transpose(1, 2)
    x_mask = torch.ones(x.shape[:2], dtype=torch.long)
    cls_tokens = self.cls_token.expand(batch_size, -1, -1)
    x = torch.cat((cls_tokens, x), dim=1)
    pos_embed = torch.cat((self.position_embeddings[:, 0, :][:, None, :].expand(batch_size, -1, -1), pos_embed), dim=1)
    x = self.dropout(x + pos_embed)
    x_mask = torch.cat([torch.ones(batch_size, 1, dtype=torch.long), x_mask], dim=1)
    return x, x_mask, (None, (height, width))


@contextlib.contextmanager
def exportable():
    original = mv.ViltEmbeddings.visual_embed
    mv.ViltEmbeddings.visual_embed = _visual_embed_full_mask
    try:
        yield
    finally:
        mv.ViltEmbeddings.visual_embed = original
