"""An FCN-8s-style decode head: one small conv per backbone stage, upsampled to the finest stage and fused."""
from typing import List, Sequence, Tuple, Union

import torch
import torch.nn as nn
from mmcv.cnn import ConvModule
from mmseg.models.decode_heads.decode_head import BaseDecodeHead
from mmseg.models.utils import resize
from torch import Tensor

from mmmotion.registry import MODELS

FUSIONS = ('sum', 'concat')


@MODELS.register_module()
class FCNSkipHead(BaseDecodeHead):
    """Skip-connection FCN head (Long et al., FCN-8s/16s) for dense AlexNet features.

    Every selected input stage gets its own ``kernel_size`` conv to ``channels`` (+ norm + activation),
    the maps are bilinearly upsampled to the largest (finest) of them and summed (``fusion='sum'``, as
    FCN sums its per-stage scores) or concatenated and mixed by a 1x1 conv (``fusion='concat'``); then
    dropout and the 1x1 classifier ``conv_seg``. The segmentor resizes the logits to the label size.
    With ``kernel_size=1``, ``norm_cfg=None`` and ``act_cfg=None`` the head is exactly FCN's sum of
    linear per-stage class scores.

    With mmmotion's fully-convolutional AlexNet (strides 4, 8, 16, 16, 16 for conv1..conv5), e.g.
    ``out_indices=(1, 4)`` (conv2 + conv5) gives stride-8 logits like FCN-8s.

    Args:
        in_channels: channels of each selected input, in ``in_index`` order.
        channels: width of every branch (and of the fused map fed to ``conv_seg``).
        in_index: which backbone outputs to use (same length as ``in_channels``).
        kernel_size: odd kernel size of the per-stage branch convs.
        fusion: ``'sum'`` or ``'concat'``.
        **kwargs: the rest of :class:`BaseDecodeHead` (``num_classes``, ``norm_cfg``, ``dropout_ratio``,
            ``loss_decode`` ...). ``input_transform`` must be ``'multiple_select'`` (the default here).
    """

    def __init__(self,
                 in_channels: Sequence[int],
                 channels: int,
                 in_index: Sequence[int],
                 kernel_size: int = 1,
                 fusion: str = 'sum',
                 input_transform: str = 'multiple_select',
                 **kwargs) -> None:
        if input_transform != 'multiple_select':
            raise ValueError(f"FCNSkipHead fuses the stages itself: input_transform must be 'multiple_select', "
                             f'got {input_transform!r}')
        if isinstance(in_channels, int) or isinstance(in_index, int):
            raise TypeError(f'FCNSkipHead needs one entry per stage: in_channels and in_index must be '
                            f'sequences, got in_channels={in_channels!r}, in_index={in_index!r}')
        if len(in_channels) != len(in_index) or len(in_index) == 0:
            raise ValueError(f'in_channels {list(in_channels)} and in_index {list(in_index)} must be non-empty '
                             f'and of the same length')
        if fusion not in FUSIONS:
            raise ValueError(f'unknown fusion {fusion!r}; expected one of {FUSIONS}')
        if kernel_size < 1 or kernel_size % 2 == 0:
            raise ValueError(f'kernel_size must be odd and positive (keeps the map size), got {kernel_size}')
        super().__init__(list(in_channels), channels, in_index=list(in_index),
                         input_transform=input_transform, **kwargs)
        self.fusion = fusion
        self.branches = nn.ModuleList(
            ConvModule(c, channels, kernel_size, padding=kernel_size // 2, conv_cfg=self.conv_cfg,
                       norm_cfg=self.norm_cfg, act_cfg=self.act_cfg) for c in self.in_channels)
        self.fuse = None
        if fusion == 'concat':
            self.fuse = ConvModule(channels * len(self.in_channels), channels, 1, conv_cfg=self.conv_cfg,
                                   norm_cfg=self.norm_cfg, act_cfg=self.act_cfg)

    def _check_inputs(self, inputs: Union[List[Tensor], Tuple[Tensor, ...]]) -> None:
        """Name the backbone output that does not fit the head's ``in_index``/``in_channels``."""
        for index, expected in zip(self.in_index, self.in_channels):
            if not -len(inputs) <= index < len(inputs):
                raise IndexError(f'FCNSkipHead in_index {index} is out of range: the backbone gave '
                                 f'{len(inputs)} outputs (check its out_indices)')
            got = inputs[index].shape[1]
            if got != expected:
                raise ValueError(f'FCNSkipHead input in_index={index} has {got} channels, but in_channels '
                                 f'says {expected} (in_channels={list(self.in_channels)})')

    def fuse_stages(self, inputs: Union[List[Tensor], Tuple[Tensor, ...]]) -> Tensor:
        """The fused ``channels``-wide map at the resolution of the finest selected stage."""
        self._check_inputs(inputs)
        feats = [branch(x) for branch, x in zip(self.branches, self._transform_inputs(inputs))]
        size = max((f.shape[2:] for f in feats), key=lambda s: s[0] * s[1])
        feats = [f if f.shape[2:] == size else
                 resize(f, size=size, mode='bilinear', align_corners=self.align_corners) for f in feats]
        if self.fuse is None:
            return torch.stack(feats).sum(0)
        return self.fuse(torch.cat(feats, dim=1))

    def forward(self, inputs: Union[List[Tensor], Tuple[Tensor, ...]]) -> Tensor:
        """Per-pixel class logits at the finest selected stage's resolution."""
        return self.cls_seg(self.fuse_stages(inputs))
