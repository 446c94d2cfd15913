"""The classifier of a classification pretext (rotation, relative patch position)."""
from collections import OrderedDict
from typing import Dict, Optional, Sequence, Union

import torch
import torch.nn as nn
from mmengine.model import BaseModule

from mmmotion.registry import MODELS


@MODELS.register_module()
class PretextClsHead(BaseModule):
    """Feature vectors (N, C) -> optional hidden fc layers (fc, BN, ReLU, dropout) -> fc with
    ``num_classes`` logits; :meth:`loss` gives the classification loss and the top-1 accuracy.

    Args:
        in_channels: C of the input vectors (4096 for AlexNet fc7; 8192 for two concatenated).
        num_classes: 4 for RotNet, 8 for Context Prediction.
        mid_channels: widths of the hidden layers (``()``: a linear classifier).
        with_bn: BatchNorm in the hidden layers.
        dropout: dropout after each hidden layer.
        loss: loss config, called as ``loss(logits, labels)``.
        init_cfg: initialisation config.
    """

    def __init__(self,
                 in_channels: int,
                 num_classes: int,
                 mid_channels: Sequence[int] = (),
                 with_bn: bool = True,
                 dropout: float = 0.0,
                 loss: dict = dict(type='mmpretrain.CrossEntropyLoss', loss_weight=1.0),
                 init_cfg: Optional[Union[dict, list]] = dict(type='Normal', layer='Linear', std=0.01, bias=0)
                 ) -> None:
        super().__init__(init_cfg=init_cfg)
        if num_classes < 2:
            raise ValueError(f'num_classes must be >= 2, got {num_classes}')
        self.in_channels, self.num_classes = in_channels, num_classes
        layers, width = OrderedDict(), in_channels
        for index, channels in enumerate(mid_channels):
            layers[f'fc{index}'] = nn.Linear(width, channels, bias=not with_bn)
            if with_bn:
                layers[f'bn{index}'] = nn.BatchNorm1d(channels)
            layers[f'relu{index}'] = nn.ReLU(inplace=True)
            if dropout > 0:
                layers[f'drop{index}'] = nn.Dropout(dropout)
            width = channels
        layers['cls'] = nn.Linear(width, num_classes)
        self.layers = nn.Sequential(layers)
        self.loss_module = MODELS.build(loss)

    def forward(self, feats: torch.Tensor) -> torch.Tensor:
        """Logits (N, num_classes) of feature vectors (N, in_channels)."""
        if feats.dim() != 2 or feats.shape[1] != self.in_channels:
            raise ValueError(f'{self.__class__.__name__} expects (N, {self.in_channels}) vectors, got '
                             f'{tuple(feats.shape)}')
        return self.layers(feats)

    def loss(self, feats: torch.Tensor, labels: torch.Tensor) -> Dict[str, torch.Tensor]:
        """``loss`` and ``accuracy`` (top-1, in [0, 1], logged only) of ``labels`` (N, ) in 0..num_classes-1."""
        labels = labels.to(feats.device).long().reshape(-1)
        if labels.numel() != feats.shape[0]:
            raise ValueError(f'{labels.numel()} labels for {feats.shape[0]} feature vectors')
        if labels.numel() and (labels.min() < 0 or labels.max() >= self.num_classes):
            raise ValueError(f'labels must be in [0, {self.num_classes}), got {labels.unique().tolist()}')
        logits = self(feats)
        accuracy = (logits.detach().argmax(1) == labels).float().mean()
        return dict(loss=self.loss_module(logits, labels), accuracy=accuracy)
