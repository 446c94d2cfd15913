"""One-tower AlexNet (CaffeNet or torchvision layout), the backbone of "Learning Features by Watching Objects Move"."""
from collections import OrderedDict
from typing import Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
from mmengine.model import BaseModule
from torch.nn.modules.batchnorm import _BatchNorm

from mmmotion.models.utils import load_stage_weights
from mmmotion.registry import MODELS

# (name, kernel, stride, padding in the classic net (conv1: per arch), max-pool before this stage)
_CONV_SPECS = (
    ('conv1', 11, 4, None, False),
    ('conv2', 5, 1, 2, True),
    ('conv3', 3, 1, 1, True),
    ('conv4', 3, 1, 1, False),
    ('conv5', 3, 1, 1, False),
)
STAGE_NAMES = tuple(spec[0] for spec in _CONV_SPECS) + ('fc6', 'fc7')
# What differs between the two layouts: conv widths, conv1's padding, LRN (without BN) and torchvision's
# AdaptiveAvgPool2d(6) before fc6 (the identity on the 6x6 pool5 map of 223..231 px inputs).
ARCHS = {
    'caffenet': dict(widths=(96, 256, 384, 384, 256), conv1_padding=0, lrn=True, adaptive_pool=False),
    'torchvision': dict(widths=(64, 192, 384, 256, 256), conv1_padding=2, lrn=False, adaptive_pool=True),
}
# AlexNet's LRN: x / (k + alpha / size * sum of x^2 over `size` channels)^beta, in Caffe as in torch
LRN_ARGS = dict(size=5, alpha=1e-4, beta=0.75, k=1.0)
FC_INIT_STD, FC_INIT_BIAS = 0.005, 0.1  # Caffe AlexNet's fc init
DEFAULT_INIT = [
    dict(type='Kaiming', layer='Conv2d', nonlinearity='relu'),
    dict(type='Normal', layer='Linear', std=FC_INIT_STD, bias=FC_INIT_BIAS),
    dict(type='Constant', layer=['_BatchNorm', 'GroupNorm'], val=1, bias=0),
]


def alexnet_fc_stage(in_features: int, with_bn: bool, dropout: float, from_pool5: bool) -> nn.Sequential:
    """fc6 or fc7 of AlexNet: (pool + flatten when fed conv5 maps) fc 4096 (+BN) ReLU dropout.

    Shared by the backbone and by heads that hold fc6/fc7 (Fast R-CNN's RoI head), so checkpoint keys
    (``fc6.fc.weight``, ``fc6.bn.running_mean`` ...) are the same in both.
    """
    layers = OrderedDict()
    if from_pool5:
        layers['pool'] = nn.MaxPool2d(3, 2)
    layers['flatten'] = nn.Flatten(1)
    layers['fc'] = nn.Linear(in_features, 4096, bias=not with_bn)
    if with_bn:
        layers['bn'] = nn.BatchNorm1d(4096)
    layers['relu'] = nn.ReLU(inplace=True)
    layers['drop'] = nn.Dropout(dropout)
    return nn.Sequential(layers)


@MODELS.register_module()
class AlexNet(BaseModule):
    """AlexNet as used by Pathak et al. (CVPR 2017): conv1 96x11x11/4, conv2 256x5x5, conv3 384,
    conv4 384, conv5 256 (3x3), max-pools after conv1, conv2 and conv5, fc6 4096, fc7 4096; 227x227 input.
    ``arch='torchvision'`` builds torchvision's AlexNet instead (conv widths 64/192/384/256/256, conv1
    padded by 2, no LRN, AdaptiveAvgPool2d(6) before fc6), so its ImageNet weights load after
    ``tools/model_converters/torchvision_to_mmmotion.py`` (see ``docs/model_zoo.md``).

    Stages are numbered 0..6 = conv1..conv5, fc6, fc7. A conv stage outputs its ReLU'd (and normalised)
    map *before* the following pool, so conv5 has stride 16 (what Fast R-CNN's RoI layer wants);
    the pools are the first layer of the next stage (pool5 opens fc6).

    Args:
        arch: ``'caffenet'`` (the default, above) or ``'torchvision'``; ``out_channels`` lists the conv
            widths (what a dense head's ``in_channels`` must match).
        with_bn: BatchNorm after every conv and fc (before the ReLU); otherwise LRN after conv1/conv2
            as in the original net (CaffeNet arch only; torchvision's AlexNet has no LRN).
        lrn_after_pool: LRN after pool1/pool2 (conv-relu-pool-LRN, BVLC's reference CaffeNet) instead of
            before them (conv-relu-LRN-pool, the default, as in bvlc_alexnet). The LRN then opens the next
            stage, so conv1/conv2 outputs are not normalised; no weights change.
        out_indices: which stages to return, 0..6 (negative counts from the end); default the last. Conv stages give
            NCHW maps, fc stages (N, 4096) vectors.
        frozen_stages: freeze stages 1..frozen_stages (1 = conv1 ... 7 = fc7): no gradients, and their
            BN layers stay in eval mode. -1 or 0 freezes nothing.
        norm_eval: keep every BN layer in eval mode while training (frozen running statistics).
        fully_conv: dense mode for segmentation: no fc stages, and convs/pools padded so any input
            size H x W gives conv-k maps of ceil(H / stride) x ceil(W / stride) (strides 4, 8, 16, 16, 16).
        with_fc: build fc6 and fc7 (False when a head holds them, as Fast R-CNN's RoI head does).
        dropout: dropout ratio after fc6 and fc7.
        reinit_stages: stages (names, e.g. ``('fc6', 'fc7')``) that keep the default random init when
            a checkpoint is loaded: the "fc6-8 only" transfer setting retrains them from scratch.
        init_cfg: e.g. ``dict(type='Pretrained', checkpoint='x.pth', prefix='backbone.')``. The
            checkpoint may be a training checkpoint (keys under ``prefix``) or an exported backbone
            (bare keys); weights of stages this net does not build are ignored, and a built stage
            missing from the checkpoint is an error naming the keys.
    """

    def __init__(self,
                 arch: str = 'caffenet',
                 with_bn: bool = False,
                 out_indices: Optional[Union[int, Sequence[int]]] = None,
                 frozen_stages: int = -1,
                 norm_eval: bool = False,
                 fully_conv: bool = False,
                 with_fc: bool = True,
                 dropout: float = 0.5,
                 reinit_stages: Sequence[str] = (),
                 lrn_after_pool: bool = False,
                 init_cfg: Optional[Union[dict, list]] = None) -> None:
        if arch not in ARCHS:
            raise ValueError(f'unknown AlexNet arch {arch!r}; expected one of {sorted(ARCHS)}')
        spec = ARCHS[arch]
        with_lrn = spec['lrn'] and not with_bn
        if lrn_after_pool and not with_lrn:
            raise ValueError(f'lrn_after_pool=True needs an AlexNet with LRN (arch=\'caffenet\', with_bn=False), '
                             f'got arch={arch!r}, with_bn={with_bn}')
        # A Pretrained init_cfg is applied by init_weights() on top of the default init.
        self.pretrained_cfg = None
        if isinstance(init_cfg, dict) and init_cfg.get('type') == 'Pretrained':
            self.pretrained_cfg, init_cfg = dict(init_cfg), None
        super().__init__(init_cfg=init_cfg if init_cfg is not None else DEFAULT_INIT)
        self.arch = arch
        self.with_bn = with_bn
        self.lrn_after_pool = lrn_after_pool
        self.out_channels = tuple(spec['widths'])
        self.fully_conv = fully_conv
        self.num_stages = 5 if fully_conv or not with_fc else 7
        unknown = set(reinit_stages) - set(STAGE_NAMES[:self.num_stages])
        if unknown:
            raise ValueError(f'reinit_stages {sorted(unknown)} are not stages of this AlexNet '
                             f'({", ".join(STAGE_NAMES[:self.num_stages])})')
        self.reinit_stages = tuple(reinit_stages)
        if out_indices is None:  # the last stage: fc7, or conv5 in fully-convolutional mode
            out_indices = (self.num_stages - 1, )
        if isinstance(out_indices, int):
            out_indices = (out_indices, )
        self.out_indices = tuple(self._normalise_index(i) for i in out_indices)
        if not -1 <= frozen_stages <= self.num_stages:
            raise ValueError(f'frozen_stages must be in [-1, {self.num_stages}], got {frozen_stages}')
        self.frozen_stages = frozen_stages
        self.norm_eval = norm_eval

        in_channels = 3
        for (name, kernel, stride, padding, pool_before), channels in zip(_CONV_SPECS, spec['widths']):
            layers = OrderedDict()
            if pool_before:
                layers['pool'] = self._pool()
            if with_lrn and lrn_after_pool and name in ('conv2', 'conv3'):
                layers['lrn'] = nn.LocalResponseNorm(**LRN_ARGS)  # norm1/norm2 after pool1/pool2
            if name == 'conv1':
                padding = kernel // 2 if fully_conv else spec['conv1_padding']
            layers['conv'] = nn.Conv2d(in_channels, channels, kernel, stride, padding, bias=not with_bn)
            if with_bn:
                layers['bn'] = nn.BatchNorm2d(channels)
            layers['relu'] = nn.ReLU(inplace=True)
            if with_lrn and not lrn_after_pool and name in ('conv1', 'conv2'):
                layers['lrn'] = nn.LocalResponseNorm(**LRN_ARGS)
            self.add_module(name, nn.Sequential(layers))
            in_channels = channels

        if self.num_stages == 7:
            self.fc6 = alexnet_fc_stage(in_channels * 6 * 6, with_bn, dropout, from_pool5=True)
            if spec['adaptive_pool']:  # torchvision's avgpool, after pool5 (no weights: keys unchanged)
                self.fc6 = nn.Sequential(OrderedDict(
                    [('pool', self.fc6.pool), ('avgpool', nn.AdaptiveAvgPool2d(6))]
                    + [(key, module) for key, module in self.fc6.named_children() if key != 'pool']))
            self.fc7 = alexnet_fc_stage(4096, with_bn, dropout, from_pool5=False)
        self._freeze_stages()

    def init_weights(self) -> None:
        """Default init, then the stages of a ``Pretrained`` checkpoint (all but ``reinit_stages``)."""
        super().init_weights()
        if self.pretrained_cfg is None:
            return
        stages = [name for name in STAGE_NAMES[:self.num_stages] if name not in self.reinit_stages]
        weights = load_stage_weights(self.pretrained_cfg['checkpoint'], stages,
                                     self.pretrained_cfg.get('prefix', 'backbone.'), self.state_dict())
        self.load_state_dict(weights, strict=False)

    def _pool(self) -> nn.MaxPool2d:
        # Padded (and so size-agnostic) in dense mode; the classic 227 -> 55 -> 27 -> 13 -> 6 otherwise.
        return nn.MaxPool2d(3, 2, padding=1) if self.fully_conv else nn.MaxPool2d(3, 2)

    def _normalise_index(self, index: int) -> int:
        if index < 0:
            index += self.num_stages
        if not 0 <= index < self.num_stages:
            raise ValueError(f'out_indices entry {index} is out of range for {self.num_stages} stages '
                             f'({", ".join(STAGE_NAMES[:self.num_stages])})')
        return index

    @property
    def stages(self) -> Tuple[nn.Module, ...]:
        return tuple(getattr(self, name) for name in STAGE_NAMES[:self.num_stages])

    def _freeze_stages(self) -> None:
        for stage in self.stages[:max(self.frozen_stages, 0)]:
            stage.eval()
            for param in stage.parameters():
                param.requires_grad = False

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        last = max(self.out_indices)
        if last >= 5 and not ARCHS[self.arch]['adaptive_pool']:
            # fc6 needs a 6x6 pool5 map (inputs of 223..231 px give one); conv stages take any size.
            expected = self._pool5_size(x.shape[-2:], ARCHS[self.arch]['conv1_padding'])
            if expected != (6, 6):
                raise ValueError(f'AlexNet with fc layers needs inputs whose pool5 map is 6x6 '
                                 f'(e.g. 227x227), got {tuple(x.shape[-2:])} -> pool5 {expected}; '
                                 'use fully_conv=True for other sizes')
        outs = []
        for index, stage in enumerate(self.stages[:last + 1]):
            x = stage(x)
            if index in self.out_indices:
                outs.append(x)
        return tuple(outs)

    @staticmethod
    def _pool5_size(hw: Sequence[int], conv1_padding: int) -> Tuple[int, int]:
        def conv_pool(n: int) -> int:
            n = (n + 2 * conv1_padding - 11) // 4 + 1  # conv1
            for _ in range(3):  # pool1, pool2, pool5
                n = (n - 3) // 2 + 1
            return n
        return conv_pool(int(hw[0])), conv_pool(int(hw[1]))

    def train(self, mode: bool = True) -> 'AlexNet':
        super().train(mode)
        self._freeze_stages()
        if mode and self.norm_eval:
            for module in self.modules():
                if isinstance(module, _BatchNorm):
                    module.eval()
        return self
