"""The MotionMask head: features -> a fully-connected layer with s*s outputs -> (sigmoid) s x s mask."""
from typing import Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModule

from mmmotion.registry import MODELS


def masked_bce_loss(logits: torch.Tensor, target: torch.Tensor, ignore_index: int = 255,
                    class_balanced: bool = False) -> torch.Tensor:
    """Binary cross-entropy summed over the locations whose target is not ``ignore_index``, averaged
    over the batch (the paper's loss). ``logits`` and ``target`` are (N, s, s).

    ``class_balanced``: weight each batch's foreground and background locations so that each class present
    carries an equal share of the weight the valid locations have unweighted, for targets where the
    object covers a few percent of the mask and an unweighted loss favours an empty one.
    """
    valid = (target != ignore_index).to(logits.dtype)
    positive = (target == 1).to(logits.dtype)
    per_pixel = F.binary_cross_entropy_with_logits(logits, positive, reduction='none')
    weight = valid
    if class_balanced:
        n_valid = valid.sum()
        n_pos = (positive * valid).sum()
        n_neg = n_valid - n_pos
        classes = (n_pos > 0).to(logits.dtype) + (n_neg > 0).to(logits.dtype)
        w_pos = n_valid / (classes * n_pos).clamp(min=1)
        w_neg = n_valid / (classes * n_neg).clamp(min=1)
        weight = valid * (positive * w_pos + (1 - positive) * w_neg)
    return (per_pixel * weight).sum() / max(logits.shape[0], 1)


@MODELS.register_module()
class MotionMaskHead(BaseModule):
    """Predict an s x s mask from a feature vector (AlexNet fc7) or a feature map (e.g. ResNet C5).

    A vector (N, C) goes straight into ``Linear(C, s*s)``. A map (N, C, H, W) is first reduced with a
    1x1 conv to ``map_channels`` (+ ReLU) when given, average-pooled to ``map_size`` x ``map_size``
    and flattened, so the fc keeps the spatial layout it needs to draw a mask.

    Args:
        in_channels: C of the input features.
        mask_size: s (56 in the paper).
        in_type: 'vector' or 'map'.
        map_channels: 1x1-conv reduction for maps (None: keep C).
        map_size: pooled map side for maps.
        ignore_index: target value of ignored locations.
        loss_weight: factor on the loss.
        class_balanced: balance foreground and background in the loss (:func:`masked_bce_loss`); off in
            the paper.
        init_cfg: default: small mask-fc weights (std 0.001) and zero bias, so the first prediction
            is about 0.5 everywhere.
    """

    def __init__(self,
                 in_channels: int = 4096,
                 mask_size: int = 56,
                 in_type: str = 'vector',
                 map_channels: Optional[int] = None,
                 map_size: int = 7,
                 ignore_index: int = 255,
                 loss_weight: float = 1.0,
                 class_balanced: bool = False,
                 init_cfg: Optional[Union[dict, list]] = dict(
                     type='Normal', layer='Linear', std=0.001, bias=0)) -> None:
        super().__init__(init_cfg=init_cfg)
        if in_type not in ('vector', 'map'):
            raise ValueError(f"in_type must be 'vector' or 'map', got {in_type!r}")
        self.in_channels = in_channels
        self.mask_size = mask_size
        self.in_type = in_type
        self.map_size = map_size
        self.ignore_index = ignore_index
        self.loss_weight = loss_weight
        self.class_balanced = class_balanced
        fc_in = in_channels
        if in_type == 'map':
            self.reduce = None
            if map_channels is not None:
                self.reduce = nn.Sequential(nn.Conv2d(in_channels, map_channels, 1), nn.ReLU(inplace=True))
                fc_in = map_channels
            fc_in *= map_size * map_size
        self.fc_mask = nn.Linear(fc_in, mask_size * mask_size)

    def forward(self, feats: Union[torch.Tensor, Sequence[torch.Tensor]]) -> torch.Tensor:
        """Mask logits (N, s, s) from the last of ``feats``."""
        x = feats[-1] if isinstance(feats, (list, tuple)) else feats
        if self.in_type == 'vector':
            if x.dim() != 2:
                raise ValueError(f'MotionMaskHead(in_type="vector") expects (N, C) features, got '
                                 f'{tuple(x.shape)}; use in_type="map" for feature maps')
        else:
            if x.dim() != 4:
                raise ValueError(f'MotionMaskHead(in_type="map") expects (N, C, H, W) features, got '
                                 f'{tuple(x.shape)}')
            if self.reduce is not None:
                x = self.reduce(x)
            x = F.adaptive_avg_pool2d(x, self.map_size).flatten(1)
        return self.fc_mask(x).view(-1, self.mask_size, self.mask_size)

    def loss(self, feats: Tuple[torch.Tensor, ...], targets: torch.Tensor) -> dict:
        """``targets``: (N, s, s) trimap (1 fg, 0 bg, ``ignore_index`` ignored)."""
        logits = self(feats)
        if targets.shape != logits.shape:
            raise ValueError(f'mask targets {tuple(targets.shape)} do not match predictions '
                             f'{tuple(logits.shape)}: the pipeline mask_size must equal the head mask_size')
        loss = masked_bce_loss(logits, targets, self.ignore_index, self.class_balanced)
        return dict(loss_mask=self.loss_weight * loss)

    def predict(self, feats: Tuple[torch.Tensor, ...]) -> torch.Tensor:
        """Mask probabilities (N, s, s)."""
        return self(feats).sigmoid()
