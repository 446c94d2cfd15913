"""torchvision's AlexNet (``torchvision.models.alexnet``) -> ``mmmotion.AlexNet(arch='torchvision')``."""
import os.path as osp
from collections import OrderedDict
from typing import Dict, List, Mapping, Tuple

import torch

from .alexnet_checkpoint import save_alexnet_checkpoint

# torchvision module -> mmmotion module. features: conv(0) relu pool conv(3) relu pool conv(6) relu conv(8) relu
# conv(10) relu pool; classifier: dropout fc(1) relu dropout fc(4) relu fc(6) (the 1000-way fc8, not converted).
TORCHVISION_MODULES = OrderedDict([
    ('features.0', 'conv1.conv'), ('features.3', 'conv2.conv'), ('features.6', 'conv3.conv'),
    ('features.8', 'conv4.conv'), ('features.10', 'conv5.conv'), ('classifier.1', 'fc6.fc'),
    ('classifier.4', 'fc7.fc')])


def torchvision_alexnet_weights(state: Mapping[str, torch.Tensor],
                                source: str) -> Tuple['OrderedDict[str, torch.Tensor]', List[str]]:
    """The ``mmmotion.AlexNet(arch='torchvision')`` weights in a torchvision AlexNet state dict (a
    ``module.`` prefix, as DataParallel writes, is dropped); returns (weights, keys not converted)."""
    state = {key[len('module.'):] if key.startswith('module.') else key: value for key, value in state.items()}
    wanted = [f'{src}.{kind}' for src in TORCHVISION_MODULES for kind in ('weight', 'bias')]
    missing = [key for key in wanted if key not in state]
    if missing:
        raise KeyError(f'{source}: not a torchvision AlexNet state dict: lacks {missing} '
                       f'(its first keys are {list(state)[:6]})')
    weights = OrderedDict()
    for src, dst in TORCHVISION_MODULES.items():
        for kind in ('weight', 'bias'):
            weights[f'{dst}.{kind}'] = state[f'{src}.{kind}']
    return weights, [key for key in state if key not in wanted]


def convert_torchvision_alexnet(checkpoint: str, output: str) -> Dict[str, object]:
    """Write ``output``, an ``mmmotion.AlexNet(arch='torchvision')`` checkpoint of a torchvision AlexNet state
    dict file (e.g. ``alexnet-owt-7be5be79.pth``; also one under a ``state_dict`` key). Same inputs as
    torchvision's (RGB, ImageNet mean/std: mmmotion's normalisation), same outputs (eval mode)."""
    if not osp.isfile(checkpoint):
        raise FileNotFoundError(f'checkpoint not found: {checkpoint}')
    raw = torch.load(checkpoint, map_location='cpu', weights_only=True)  # data only, never code
    state = raw.get('state_dict', raw) if isinstance(raw, dict) else None
    if not isinstance(state, dict):
        raise ValueError(f'{checkpoint}: no state dict found (got {type(raw).__name__})')
    weights, dropped = torchvision_alexnet_weights(state, checkpoint)
    meta = dict(source=osp.abspath(checkpoint), converter='torchvision', dropped=dropped)
    try:
        return save_alexnet_checkpoint(weights, dict(arch='torchvision'), output, meta)
    except ValueError as err:
        raise ValueError(f'{checkpoint}: {err}') from err
